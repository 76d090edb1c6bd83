package io.cascade.server.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * What the Java ports of Redis's C Lua libraries (cjson, cmsgpack, struct) share: lauxlib's argument checks
 * (luaL_checklstring, luaL_checknumber, luaL_checkinteger, luaL_optinteger, luaL_checkoption) and its errors
 * (luaL_error, luaL_argerror) in their exact words, raised by returning -1 from the Java function instead of
 * longjmp-ing across JNI frames. Command thread only.
 */
final class LuaLib {
    /** The library function's body: its result count, or a LuaError thrown. */
    interface Body {
        int call(long L);
    }

    /** An error to raise in Lua: luaL_error's text (prefixed with the caller's place) or luaL_argerror's. */
    static final class LuaError extends RuntimeException {
        final byte[] message;
        final int arg;

        private LuaError(byte[] message, int arg) {
            super(null, null, false, false);
            this.message = message;
            this.arg = arg;
        }
    }

    final LuaState s;
    final Lua51Natives n;

    LuaLib(LuaState s) {
        this.s = s;
        this.n = s.n;
    }

    /** Keeps debug.getinfo where argument errors can find the called function's name (before the sandbox). */
    static void keepGetinfo(LuaState s, long L) {
        s.n.lua_getglobal(L, "debug");
        s.n.lua_getfield(L, -1, "getinfo");
        s.n.lua_setfield(L, LuaState.REGISTRY, "cascade_getinfo");
        s.n.lua_settop(L, -2);
    }

    /**
     * Pushes a table of the functions (guarded), leaving it on top of the stack. The size hint and the order
     * of the fields are the C library's: they decide the table's layout, so the order pairs() walks it in.
     */
    void pushTable(long L, Map<String, Body> functions, int sizeHint) {
        n.lua_createtable(L, 0, sizeHint);
        for (Map.Entry<String, Body> e : functions.entrySet()) {
            n.luaJ_pushfunction(L, guard(e.getValue()));
            n.lua_setfield(L, -2, e.getKey());
        }
    }

    void setString(long L, String field, String value) {
        n.lua_pushstring(L, value);
        n.lua_setfield(L, -2, field);
    }

    private JFunction guard(Body body) {
        return (Lua l) -> {
            long L = l.getPointer();
            try {
                return body.call(L);
            } catch (LuaError e) {
                raise(L, e);
                return -1;
            } catch (StackOverflowError e) {
                // no library recurses with the data's depth; kept as a Lua error rather than a Java one
                raise(L, error("stack overflow"));
                return -1;
            }
        };
    }

    /** luaL_error's message: luaL_where(L, 1) then the text; luaL_argerror's: "bad argument #n to 'name' (..)". */
    private void raise(long L, LuaError e) {
        if (e.arg == NO_PLACE) {
            s.push(L, e.message);
            return;
        }
        if (e.arg == WITH_PLACE) {
            n.luaL_where(L, 1);
            s.push(L, e.message);
            n.lua_concat(L, 2);
            return;
        }
        // the name the caller used for the function, as luaL_argerror takes it from lua_getinfo "n"
        int arg = e.arg;
        String name = null;
        boolean method = false;
        s.registry(L, "cascade_getinfo");
        n.lua_pushnumber(L, 1);
        n.lua_pushstring(L, "n");
        if (n.lua_pcall(L, 2, 1, 0) == 0 && n.lua_type(L, -1) == LuaState.TTABLE) {
            n.lua_getfield(L, -1, "name");
            name = n.lua_type(L, -1) == LuaState.TSTRING ? s.text(L, -1) : null;
            n.lua_getfield(L, -2, "namewhat");
            method = "method".equals(s.text(L, -1));
            n.lua_settop(L, -3);
        }
        n.lua_settop(L, -2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String shown = name == null ? "?" : name;
        if (method) {
            arg--;
        }
        String head = method && arg == 0 ? "calling '" + shown + "' on bad self ("
                : "bad argument #" + arg + " to '" + shown + "' (";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(e.message);
        out.write(')');
        n.luaL_where(L, 1);
        s.push(L, out.toByteArray());
        n.lua_concat(L, 2);
    }

    private static final int WITH_PLACE = Integer.MIN_VALUE;
    private static final int NO_PLACE = Integer.MIN_VALUE + 1;

    static LuaError error(String text) {
        return new LuaError(text.getBytes(StandardCharsets.ISO_8859_1), WITH_PLACE);
    }

    static LuaError error(byte[] text) {
        return new LuaError(text, WITH_PLACE);
    }

    /** An error the Lua core raises from inside a C function (luaG_runerror): no place in front. */
    static LuaError coreError(String text) {
        return new LuaError(text.getBytes(StandardCharsets.ISO_8859_1), NO_PLACE);
    }

    static LuaError argError(int arg, String text) {
        return new LuaError(text.getBytes(StandardCharsets.ISO_8859_1), arg);
    }

    static LuaError argError(int arg, byte[] text) {
        return new LuaError(text, arg);
    }

    /** luaL_typerror: "X expected, got Y" ("no value" past the last argument). */
    LuaError typeError(long L, int arg, String expected) {
        String got = n.lua_type(L, arg) == -1 ? "no value" : n.luaL_typename(L, arg);
        return argError(arg, expected + " expected, got " + got);
    }

    void argCheck(boolean ok, int arg, String text) {
        if (!ok) {
            throw argError(arg, text);
        }
    }

    /**
     * The bytes of the string at idx (the caller knows it is one), read in place: a direct buffer over Lua's own
     * memory, copied at once (it is valid only while the string is on the stack).
     */
    byte[] string(long L, int idx) {
        ByteBuffer b = (ByteBuffer) n.luaJ_todirectbuffer(L, idx);
        if (b == null) {
            return s.bytes(L, idx);
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** luaL_checklstring: the bytes of a string, or of a number as Lua prints it. */
    byte[] checkBytes(long L, int arg) {
        byte[] b = n.lua_type(L, arg) == LuaState.TSTRING ? string(L, arg) : s.bytes(L, arg);
        if (b == null) {
            throw typeError(L, arg, "string");
        }
        return b;
    }

    double checkNumber(long L, int arg) {
        if (n.lua_isnumber(L, arg) == 0) {
            throw typeError(L, arg, "number");
        }
        return n.lua_tonumber(L, arg);
    }

    /** luaL_checkinteger: lua_tointeger's truncation (as the C cast does it). */
    long checkInteger(long L, int arg) {
        if (n.lua_isnumber(L, arg) == 0) {
            throw typeError(L, arg, "number");
        }
        return n.lua_tointeger(L, arg);
    }

    long optInteger(long L, int arg, long def) {
        return n.lua_isnoneornil(L, arg) != 0 ? def : checkInteger(L, arg);
    }

    /** luaL_checkoption without a default: the index of the option named by the string argument. */
    int checkOption(long L, int arg, String[] options) {
        byte[] name = cString(checkBytes(L, arg));
        String text = new String(name, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < options.length; i++) {
            if (options[i].equals(text)) {
                return i;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("invalid option '".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(name);
        out.write('\'');
        throw argError(arg, out.toByteArray());
    }

    /** luaL_checkstack's failure: "stack overflow (message)". */
    void checkStack(long L, int slots, String message) {
        if (n.lua_checkstack(L, slots) == 0) {
            throw error("stack overflow (" + message + ")");
        }
    }

    /** The part of b before its first NUL: what C's string functions see. */
    static byte[] cString(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return Arrays.copyOf(b, i);
            }
        }
        return b;
    }
}
