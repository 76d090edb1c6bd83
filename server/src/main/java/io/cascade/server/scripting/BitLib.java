package io.cascade.server.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "bit" library scripts get in Redis (LuaBitOp 1.0.2): 32-bit operations on Lua numbers, each argument
 * first reduced modulo 2^32 as bit.tobit does, results signed. Java functions pushed into Lua; command thread.
 */
final class BitLib {
    private BitLib() {
    }

    /** LuaBitOp's barg: the number's low 32 bits after adding 2^52 + 2^51 (rounding to nearest, wrapping). */
    static int tobit(double d) {
        return (int) Double.doubleToRawLongBits(d + 6755399441055744.0);
    }

    private interface Op {
        int apply(int a, int b);
    }

    static Map<String, JFunction> functions() {
        Map<String, JFunction> m = new LinkedHashMap<>();
        m.put("tobit", l -> ret(l, arg(l, 1)));
        m.put("bnot", l -> ret(l, ~arg(l, 1)));
        m.put("band", l -> fold(l, (a, b) -> a & b));
        m.put("bor", l -> fold(l, (a, b) -> a | b));
        m.put("bxor", l -> fold(l, (a, b) -> a ^ b));
        m.put("lshift", l -> ret(l, arg(l, 1) << (arg(l, 2) & 31)));
        m.put("rshift", l -> ret(l, arg(l, 1) >>> (arg(l, 2) & 31)));
        m.put("arshift", l -> ret(l, arg(l, 1) >> (arg(l, 2) & 31)));
        m.put("rol", l -> ret(l, Integer.rotateLeft(arg(l, 1), arg(l, 2) & 31)));
        m.put("ror", l -> ret(l, Integer.rotateRight(arg(l, 1), arg(l, 2) & 31)));
        m.put("bswap", l -> ret(l, Integer.reverseBytes(arg(l, 1))));
        m.put("tohex", BitLib::tohex);
        return m;
    }

    private static Lua51Natives n(Lua l) {
        return (Lua51Natives) l.getLuaNatives();
    }

    /** luaL_checknumber: a number, or a string that reads as one; else Lua's "bad argument" error. */
    private static int arg(Lua l, int i) {
        Lua51Natives n = n(l);
        long L = l.getPointer();
        if (n.lua_isnumber(L, i) == 0) {
            throw new BadArgument(i, n.lua_type(L, i) == LuaState.TNIL ? "no value" : n.luaL_typename(L, i));
        }
        return tobit(n.lua_tonumber(L, i));
    }

    /** A wrong argument: raised in Lua as luaL_typerror words it. */
    static final class BadArgument extends RuntimeException {
        final int index;
        final String got;

        BadArgument(int index, String got) {
            super(null, null, false, false);
            this.index = index;
            this.got = got;
        }
    }

    private static int ret(Lua l, int v) {
        n(l).lua_pushnumber(l.getPointer(), v);
        return 1;
    }

    private static int fold(Lua l, Op op) {
        int argc = n(l).lua_gettop(l.getPointer());
        int v = arg(l, 1);
        for (int i = 2; i <= argc; i++) {
            v = op.apply(v, arg(l, i));
        }
        return ret(l, v);
    }

    private static int tohex(Lua l) {
        Lua51Natives n = n(l);
        long L = l.getPointer();
        int b = arg(l, 1);
        int digits = n.lua_isnoneornil(L, 2) != 0 ? 8 : arg(l, 2);
        String hexdigits = "0123456789abcdef";
        if (digits < 0) {
            digits = -digits;
            hexdigits = "0123456789ABCDEF";
        }
        if (digits > 8) {
            digits = 8;
        }
        char[] buf = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            buf[i] = hexdigits.charAt(b & 15);
            b >>= 4;
        }
        n.lua_pushstring(L, new String(buf));
        return 1;
    }

    /** Wraps a function so that a BadArgument becomes Lua's error text ("bad argument #1 to 'band' ..."). */
    static JFunction guarded(String name, JFunction f) {
        return l -> {
            try {
                return f.__call(l);
            } catch (BadArgument e) {
                long L = l.getPointer();
                // luaL_argerror: prefixed with the caller's place (luaL_where level 1)
                n(l).luaL_where(L, 1);
                n(l).lua_pushstring(L, "bad argument #" + e.index + " to '" + name + "' (number expected, got "
                        + e.got + ")");
                n(l).lua_concat(L, 2);
                return -1;
            }
        };
    }
}
