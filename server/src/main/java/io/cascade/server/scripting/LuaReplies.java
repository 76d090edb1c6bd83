package io.cascade.server.scripting;

import io.cascade.replication.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.cascade.server.scripting.LuaState.TBOOLEAN;
import static io.cascade.server.scripting.LuaState.TNIL;
import static io.cascade.server.scripting.LuaState.TNUMBER;
import static io.cascade.server.scripting.LuaState.TSTRING;
import static io.cascade.server.scripting.LuaState.TTABLE;

/**
 * Redis's conversions between replies and Lua values: a command's RESP2/RESP3 reply into Lua for redis.call
 * (redisProtocolToLuaType) and a script's return value into the caller's reply (luaReplyToRedisReply).
 * Command thread only.
 */
final class LuaReplies {
    private LuaReplies() {
    }

    /** Parses one reply at the reader index of buf and pushes it (RESP3 attributes are skipped). */
    static void push(LuaState s, long L, ByteBuf buf) {
        n(s, L).lua_checkstack(L, 8);
        byte type = buf.readByte();
        switch (type) {
            case ':' -> n(s, L).lua_pushnumber(L, (double) Long.parseLong(line(buf)));
            case '$' -> {
                long len = Long.parseLong(line(buf));
                if (len < 0) {
                    n(s, L).lua_pushboolean(L, 0);
                } else {
                    byte[] b = new byte[(int) len];
                    buf.readBytes(b);
                    buf.skipBytes(2);
                    s.push(L, b);
                }
            }
            case '+' -> {
                s.push(L, lineBytes(buf));
                s.wrapTop(L, "ok");
            }
            case '-' -> {
                pushError(s, L, "-" + line(buf));
                markIgnoreStats(s, L);
            }
            case '*' -> {
                long len = Long.parseLong(line(buf));
                if (len < 0) {
                    n(s, L).lua_pushboolean(L, 0);
                    return;
                }
                n(s, L).lua_createtable(L, (int) len, 0);
                for (int j = 1; j <= len; j++) {
                    n(s, L).lua_pushnumber(L, j);
                    push(s, L, buf);
                    n(s, L).lua_settable(L, -3);
                }
            }
            case '%', '~' -> {
                long len = Long.parseLong(line(buf));
                n(s, L).lua_createtable(L, 0, 1);
                n(s, L).lua_pushstring(L, type == '%' ? "map" : "set");
                n(s, L).lua_createtable(L, 0, (int) len);
                for (long j = 0; j < len; j++) {
                    push(s, L, buf);
                    if (type == '%') {
                        push(s, L, buf);
                    } else {
                        n(s, L).lua_pushboolean(L, 1);
                    }
                    n(s, L).lua_settable(L, -3);
                }
                n(s, L).lua_settable(L, -3);
            }
            case '_' -> {
                line(buf);
                n(s, L).lua_pushnil(L);
            }
            case '#' -> n(s, L).lua_pushboolean(L, line(buf).equals("t") ? 1 : 0);
            case ',' -> {
                n(s, L).lua_createtable(L, 0, 1);
                n(s, L).lua_pushnumber(L, parseDouble(line(buf)));
                n(s, L).lua_setfield(L, -2, "double");
            }
            case '(' -> {
                s.push(L, lineBytes(buf));
                s.wrapTop(L, "big_number");
            }
            case '=' -> {
                int len = Integer.parseInt(line(buf));
                byte[] b = new byte[len];
                buf.readBytes(b);
                buf.skipBytes(2);
                n(s, L).lua_createtable(L, 0, 1);
                n(s, L).lua_createtable(L, 0, 2);
                s.push(L, Arrays.copyOfRange(b, 4, b.length));
                n(s, L).lua_setfield(L, -2, "string");
                s.push(L, Arrays.copyOfRange(b, 0, 3));
                n(s, L).lua_setfield(L, -2, "format");
                n(s, L).lua_setfield(L, -2, "verbatim_string");
            }
            case '|' -> {
                long len = Long.parseLong(line(buf));
                for (long j = 0; j < len * 2; j++) {
                    push(s, L, buf);
                    n(s, L).lua_settop(L, -2);
                }
                push(s, L, buf);
            }
            case '>' -> {
                // a push message has no place in a command's reply: read it as an array
                buf.readerIndex(buf.readerIndex() - 1);
                buf.setByte(buf.readerIndex(), '*');
                push(s, L, buf);
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static double parseDouble(String t) {
        return switch (t) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(t);
        };
    }

    /**
     * luaPushErrorBuff: "-CODE msg" keeps its code, anything else gets ERR; trailing CR/LF go; pushed as the
     * table {err = "CODE msg"}.
     */
    static void pushError(LuaState s, long L, String error) {
        String code;
        String msg;
        if (error.startsWith("-")) {
            int sp = error.indexOf(' ');
            if (sp < 0) {
                code = "ERR";
                msg = error.substring(1);
            } else {
                code = error.substring(1, sp);
                msg = error.substring(sp + 1);
            }
        } else {
            code = "ERR";
            msg = error;
        }
        msg = trim(msg);
        s.push(L, (code + " " + msg).getBytes(StandardCharsets.UTF_8));
        s.wrapTop(L, "err");
    }

    /** sdstrim(msg, "\r\n"): CR and LF off both ends. */
    private static String trim(String m) {
        int a = 0;
        int b = m.length();
        while (a < b && (m.charAt(a) == '\r' || m.charAt(a) == '\n')) {
            a++;
        }
        while (b > a && (m.charAt(b - 1) == '\r' || m.charAt(b - 1) == '\n')) {
            b--;
        }
        return m.substring(a, b);
    }

    /** The command already counted its error: the error table says so (ignore_error_stats_update). */
    static void markIgnoreStats(LuaState s, long L) {
        n(s, L).lua_pushboolean(L, 1);
        n(s, L).lua_setfield(L, -2, "ignore_error_stats_update");
    }

    private static String line(ByteBuf buf) {
        return new String(lineBytes(buf), StandardCharsets.ISO_8859_1);
    }

    private static byte[] lineBytes(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\r');
        byte[] b = new byte[end - buf.readerIndex()];
        buf.readBytes(b);
        buf.skipBytes(2);
        return b;
    }

    /**
     * luaReplyToRedisReply: the value on top of the stack (consumed) written to the caller's reply; booleans
     * follow the protocol the script chose (scriptResp), everything else the caller's.
     */
    static void reply(LuaState s, long L, RespWriter out, int scriptResp) {
        var n = n(s, L);
        if (n.lua_checkstack(L, 4) == 0) {
            out.error("ERR reached lua stack limit");
            n.lua_settop(L, -2);
            return;
        }
        int t = n.lua_type(L, -1);
        switch (t) {
            case TSTRING -> out.bulk(s.bytes(L, -1));
            case TBOOLEAN -> {
                boolean b = n.lua_toboolean(L, -1) != 0;
                if (scriptResp == 2) {
                    if (b) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(b);
                }
            }
            case TNUMBER -> out.integer(toLongLong(n.lua_tonumber(L, -1)));
            case TTABLE -> {
                table(s, L, out, scriptResp);
                return;
            }
            default -> out.nullBulk();
        }
        n.lua_settop(L, -2);
    }

    /** C's (long long) cast of a double as x86-64 does it: out of range and NaN give LLONG_MIN. */
    static long toLongLong(double d) {
        if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void table(LuaState s, long L, RespWriter out, int scriptResp) {
        var n = n(s, L);
        s.rawField(L, -1, "err");
        if (n.lua_type(L, -1) == TSTRING) {
            n.lua_settop(L, -2);
            ErrorInfo e = ErrorInfo.of(s, L);
            if (e.ignoreStats) {
                out.errorCounted(e.msg);
            } else {
                out.error(e.msg);
            }
            n.lua_settop(L, -2);
            return;
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "ok");
        if (n.lua_type(L, -1) == TSTRING) {
            out.simple(new String(s.bytes(L, -1), StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' '));
            n.lua_settop(L, -3);
            return;
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "double");
        if (n.lua_type(L, -1) == TNUMBER) {
            out.doubleReply(n.lua_tonumber(L, -1));
            n.lua_settop(L, -3);
            return;
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "big_number");
        if (n.lua_type(L, -1) == TSTRING) {
            out.bigNumber(new String(s.bytes(L, -1), StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' '));
            n.lua_settop(L, -3);
            return;
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "verbatim_string");
        if (n.lua_type(L, -1) == TTABLE) {
            s.rawField(L, -1, "format");
            if (n.lua_type(L, -1) == TSTRING) {
                s.rawField(L, -2, "string");
                if (n.lua_type(L, -1) == TSTRING) {
                    out.verbatim(s.bytes(L, -1), new String(s.bytes(L, -2), StandardCharsets.UTF_8));
                    n.lua_settop(L, -5);
                    return;
                }
                n.lua_settop(L, -2);
            }
            n.lua_settop(L, -2);
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "map");
        if (n.lua_type(L, -1) == TTABLE) {
            int count = count(s, L);
            out.map(count);
            n.lua_pushnil(L);
            while (n.lua_next(L, -2) != 0) {
                n.lua_pushvalue(L, -2);
                reply(s, L, out, scriptResp);
                reply(s, L, out, scriptResp);
            }
            n.lua_settop(L, -3);
            return;
        }
        n.lua_settop(L, -2);
        s.rawField(L, -1, "set");
        if (n.lua_type(L, -1) == TTABLE) {
            int count = count(s, L);
            out.set(count);
            n.lua_pushnil(L);
            while (n.lua_next(L, -2) != 0) {
                n.lua_settop(L, -2);
                n.lua_pushvalue(L, -1);
                reply(s, L, out, scriptResp);
            }
            n.lua_settop(L, -3);
            return;
        }
        n.lua_settop(L, -2);
        // an array: elements 1, 2, ... up to the first nil
        int len = 0;
        while (true) {
            n.lua_rawgeti(L, -1, len + 1);
            boolean nil = n.lua_type(L, -1) == TNIL;
            n.lua_settop(L, -2);
            if (nil) {
                break;
            }
            len++;
        }
        out.array(len);
        for (int j = 1; j <= len; j++) {
            n.lua_rawgeti(L, -1, j);
            reply(s, L, out, scriptResp);
        }
        n.lua_settop(L, -2);
    }

    /** The number of pairs of the table on top. */
    private static int count(LuaState s, long L) {
        var n = n(s, L);
        int c = 0;
        n.lua_pushnil(L);
        while (n.lua_next(L, -2) != 0) {
            n.lua_settop(L, -2);
            c++;
        }
        return c;
    }

    private static Lua51Natives n(LuaState s, long L) {
        return s.n;
    }
}
