package io.cascade.server.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One C Lua 5.1 interpreter (the one Redis embeds, through luajava's JNI binding) set up as Redis's scripting
 * sandbox (sandbox.lua), with the few stack operations the scripting code needs, made binary safe: the binding
 * moves strings as Java text only, so bytes go out through luaJ_tobuffer and come in through the sandbox's
 * decoder. Command thread only.
 */
final class LuaState {
    static final int TNIL = 0;
    static final int TBOOLEAN = 1;
    static final int TNUMBER = 3;
    static final int TSTRING = 4;
    static final int TTABLE = 5;
    static final int TFUNCTION = 6;
    static final int REGISTRY = -10000;
    static final int GLOBALS = -10002;

    final Lua51 lua;
    final Lua51Natives n;
    /** The main thread's lua_State; Java functions get the running thread's through their argument. */
    final long main;

    LuaState(Map<String, JFunction> redisApi, JFunction interrupt) {
        this(redisApi, interrupt, null);
    }

    /** With register, the function engine's interpreter (FUNCTION LOAD's environment, cascade_setload). */
    LuaState(Map<String, JFunction> redisApi, JFunction interrupt, JFunction register) {
        lua = new Lua51();
        lua.openLibraries();
        n = (Lua51Natives) lua.getLuaNatives();
        main = lua.getPointer();
        long L = main;
        n.lua_createtable(L, 0, redisApi.size());
        for (Map.Entry<String, JFunction> e : redisApi.entrySet()) {
            n.luaJ_pushfunction(L, e.getValue());
            n.lua_setfield(L, -2, e.getKey());
        }
        RedisApi.constants(this, L);
        n.lua_setglobal(L, "redis");
        n.lua_createtable(L, 0, 12);
        for (Map.Entry<String, JFunction> e : BitLib.functions().entrySet()) {
            n.luaJ_pushfunction(L, BitLib.guarded(e.getKey(), e.getValue()));
            n.lua_setfield(L, -2, e.getKey());
        }
        n.lua_setglobal(L, "bit");
        LuaLib.keepGetinfo(this, L);
        CjsonLib.open(this, L);
        n.lua_setglobal(L, "cjson");
        StructLib.open(this, L);
        n.lua_setglobal(L, "struct");
        CmsgpackLib.open(this, L);
        n.lua_setglobal(L, "cmsgpack");
        byte[] boot = resource("sandbox.lua");
        if (load(L, boot, "=cascade") != 0) {
            throw new IllegalStateException("sandbox.lua: " + text(L, -1));
        }
        n.lua_getglobal(L, "redis");
        n.luaJ_pushfunction(L, interrupt);
        if (register != null) {
            n.luaJ_pushfunction(L, register);
        }
        int results = register != null ? 8 : 7;
        if (n.lua_pcall(L, register != null ? 3 : 2, results, 0) != 0) {
            throw new IllegalStateException("sandbox.lua: " + text(L, -1));
        }
        // errh, decode, setHook, base, env, readonly, protect (, setLoad): kept in the registry by these names
        String[] names = Arrays.copyOf(new String[] {"cascade_errh", "cascade_decode", "cascade_sethook",
                "cascade_base", "cascade_env", "cascade_readonly", "cascade_protect", "cascade_setload"}, results);
        for (int i = names.length - 1; i >= 0; i--) {
            n.lua_setfield(L, REGISTRY, names[i]);
        }
        n.lua_settop(L, 0);
    }

    static byte[] resource(String name) {
        try (InputStream in = LuaState.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** luaL_loadbuffer: the compiled chunk, or the error text, on top of the stack; 0 when it compiled. */
    int load(long L, byte[] code, String chunkName) {
        return load(L, code, 0, code.length, chunkName);
    }

    int load(long L, byte[] code, int from, int len, String chunkName) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, len));
        b.put(code, from, len).flip();
        return n.luaJ_loadbuffer(L, b, len, chunkName);
    }

    void registry(long L, String name) {
        n.lua_getfield(L, REGISTRY, name);
    }

    /** Pushes a Redis string: text Lua can take as it is, or the modified UTF-8 of its Latin-1 form, decoded. */
    void push(long L, byte[] b) {
        boolean plain = true;
        for (byte x : b) {
            if (x <= 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            n.lua_pushstring(L, new String(b, StandardCharsets.ISO_8859_1));
            return;
        }
        registry(L, "cascade_decode");
        n.lua_pushstring(L, new String(b, StandardCharsets.ISO_8859_1));
        n.lua_pcall(L, 1, 1, 0);
    }

    void push(long L, String ascii) {
        n.lua_pushstring(L, ascii);
    }

    /** The bytes of the string (or number, as Lua prints it) at idx; null for other types. */
    byte[] bytes(long L, int idx) {
        int t = n.lua_type(L, idx);
        if (t != TSTRING && t != TNUMBER) {
            return null;
        }
        if (t == TNUMBER) {
            // converting in place would change the stack slot (a problem under lua_next): copy it first
            n.lua_pushvalue(L, idx);
            byte[] out = copy((ByteBuffer) n.luaJ_tobuffer(L, -1));
            n.lua_settop(L, -2);
            return out;
        }
        return copy((ByteBuffer) n.luaJ_tobuffer(L, idx));
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    String text(long L, int idx) {
        byte[] b = bytes(L, idx);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    int type(long L, int idx) {
        return n.lua_type(L, idx);
    }

    /** t[field] of the table at idx, raw, pushed. */
    void rawField(long L, int idx, String field) {
        n.lua_pushstring(L, field);
        n.lua_rawget(L, idx < 0 && idx > REGISTRY ? idx - 1 : idx);
    }

    /** A table {field = the string on top}; the string is consumed. */
    void wrapTop(long L, String field) {
        n.lua_createtable(L, 0, 1);
        n.lua_insert(L, -2);
        n.lua_setfield(L, -2, field);
    }

    void close() {
        lua.close();
    }
}
