package io.cascade.server.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "cmsgpack" library scripts get in Redis (lua-cmsgpack 0.4.0, deps/lua/src/lua_cmsgpack.c): pack of any
 * number of values, unpack, unpack_one, unpack_limit. Same choices as the C code: a table is an array when its
 * keys are exactly 1..n, integral numbers become the smallest integer form, other numbers a float when that is
 * exact, else a double; tables nested 16 deep pack as nil; strings are bytes. Lua API calls mirror the C code's
 * so that stack limits and key order come out the same. Command thread only.
 */
final class CmsgpackLib {
    private static final int MAX_NESTING = 16;

    private final LuaLib lib;
    private final LuaState s;

    private CmsgpackLib(LuaState s) {
        this.s = s;
        this.lib = new LuaLib(s);
    }

    /** Pushes the cmsgpack table. */
    static void open(LuaState s, long L) {
        CmsgpackLib m = new CmsgpackLib(s);
        Map<String, LuaLib.Body> f = new LinkedHashMap<>();
        f.put("pack", m::pack);
        f.put("unpack", L1 -> m.unpackFull(L1, 0, 0));
        f.put("unpack_one", m::unpackOne);
        f.put("unpack_limit", m::unpackLimit);
        m.lib.pushTable(L, f, 0);
        m.lib.setString(L, "_NAME", "cmsgpack");
        m.lib.setString(L, "_VERSION", "lua-cmsgpack 0.4.0");
        m.lib.setString(L, "_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        m.lib.setString(L, "_DESCRIPTION", "MessagePack C implementation for Lua");
    }

    // ===== encoding =====

    private static void be(ByteArrayOutputStream buf, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            buf.write((int) (v >>> (8 * i)));
        }
    }

    private static void encodeBytes(ByteArrayOutputStream buf, byte[] b) {
        int len = b.length;
        if (len < 32) {
            buf.write(0xa0 | len);
        } else if (len <= 0xff) {
            buf.write(0xd9);
            buf.write(len);
        } else if (len <= 0xffff) {
            buf.write(0xda);
            be(buf, len, 2);
        } else {
            buf.write(0xdb);
            be(buf, len, 4);
        }
        buf.writeBytes(b);
    }

    private static void encodeDouble(ByteArrayOutputStream buf, double d) {
        float f = (float) d;
        if (d == (double) f) {
            buf.write(0xca);
            be(buf, Float.floatToRawIntBits(f), 4);
        } else {
            buf.write(0xcb);
            be(buf, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void encodeInt(ByteArrayOutputStream buf, long n) {
        if (n >= 0) {
            if (n <= 127) {
                buf.write((int) n);
            } else if (n <= 0xff) {
                buf.write(0xcc);
                buf.write((int) n);
            } else if (n <= 0xffff) {
                buf.write(0xcd);
                be(buf, n, 2);
            } else if (n <= 0xffffffffL) {
                buf.write(0xce);
                be(buf, n, 4);
            } else {
                buf.write(0xcf);
                be(buf, n, 8);
            }
        } else {
            if (n >= -32) {
                buf.write((int) n & 0xff);
            } else if (n >= -128) {
                buf.write(0xd0);
                buf.write((int) n & 0xff);
            } else if (n >= -32768) {
                buf.write(0xd1);
                be(buf, n, 2);
            } else if (n >= -2147483648L) {
                buf.write(0xd2);
                be(buf, n, 4);
            } else {
                buf.write(0xd3);
                be(buf, n, 8);
            }
        }
    }

    private static void encodeHeader(ByteArrayOutputStream buf, long n, int fix, int op16) {
        if (n <= 15) {
            buf.write(fix | (int) n);
        } else if (n <= 65535) {
            buf.write(op16);
            be(buf, n, 2);
        } else {
            buf.write(op16 + 1);
            be(buf, n, 4);
        }
    }

    /** The value on top, popped. */
    private void encodeType(long L, ByteArrayOutputStream buf, int level) {
        var n = s.n;
        int t = n.lua_type(L, -1);
        // survives circular references: a table this deep is packed as nil
        if (t == LuaState.TTABLE && level == MAX_NESTING) {
            t = LuaState.TNIL;
        }
        switch (t) {
            case LuaState.TSTRING -> encodeBytes(buf, lib.string(L, -1));
            case LuaState.TBOOLEAN -> buf.write(n.lua_toboolean(L, -1) != 0 ? 0xc3 : 0xc2);
            case LuaState.TNUMBER -> {
                double d = n.lua_tonumber(L, -1);
                // IS_INT64_EQUIVALENT: (int64_t) d == d, inf excluded
                if (!Double.isInfinite(d) && (double) CNumbers.toInt64(d) == d) {
                    encodeInt(buf, n.lua_tointeger(L, -1));
                } else {
                    encodeDouble(buf, d);
                }
            }
            case LuaState.TTABLE -> encodeTable(L, buf, level);
            default -> buf.write(0xc0);
        }
        n.lua_settop(L, -2);
    }

    /** table_is_an_array: every key a positive integer (one that fits an int) and the largest is the count. */
    private boolean isArray(long L) {
        var n = s.n;
        int count = 0;
        int max = 0;
        int top = n.lua_gettop(L);
        lib.checkStack(L, 2, "in function table_is_an_array");
        n.lua_pushnil(L);
        while (n.lua_next(L, -2) != 0) {
            n.lua_settop(L, -2);
            double k;
            if (n.lua_type(L, -1) != LuaState.TNUMBER || (k = n.lua_tonumber(L, -1)) <= 0
                    || Double.isInfinite(k) || (double) CNumbers.toInt32(k) != k) {
                n.lua_settop(L, top);
                return false;
            }
            max = k > max ? (int) k : max;
            count++;
        }
        n.lua_settop(L, top);
        return max == count;
    }

    private void encodeTable(long L, ByteArrayOutputStream buf, int level) {
        var n = s.n;
        if (isArray(L)) {
            long len = n.lua_objlen(L, -1);
            encodeHeader(buf, len, 0x90, 0xdc);
            lib.checkStack(L, 1, "in function mp_encode_lua_table_as_array");
            for (int j = 1; j <= len; j++) {
                // the C code's lua_gettable: every index 1..len is there, so no metamethod can run
                n.lua_rawgeti(L, -1, j);
                encodeType(L, buf, level + 1);
            }
            return;
        }
        lib.checkStack(L, 3, "in function mp_encode_lua_table_as_map");
        long len = 0;
        n.lua_pushnil(L);
        while (n.lua_next(L, -2) != 0) {
            n.lua_settop(L, -2);
            len++;
        }
        encodeHeader(buf, len, 0x80, 0xde);
        n.lua_pushnil(L);
        while (n.lua_next(L, -2) != 0) {
            n.lua_pushvalue(L, -2);
            encodeType(L, buf, level + 1);
            encodeType(L, buf, level + 1);
        }
    }

    private int pack(long L) {
        var n = s.n;
        int nargs = n.lua_gettop(L);
        if (nargs == 0) {
            throw LuaLib.argError(0, "MessagePack pack needs input.");
        }
        if (n.lua_checkstack(L, nargs) == 0) {
            throw LuaLib.argError(0, "Too many arguments for MessagePack pack.");
        }
        // each argument's encoding, concatenated (the C code pushes each one and lua_concat-s them)
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int i = 1; i <= nargs; i++) {
            lib.checkStack(L, 1, "in function mp_check");
            n.lua_pushvalue(L, i);
            encodeType(L, buf, 0);
        }
        s.push(L, buf.toByteArray());
        return 1;
    }

    // ===== decoding =====

    /** Not enough data ("Missing bytes in input.") or an unknown first byte ("Bad data format in input."). */
    private static final class Stop extends RuntimeException {
        final boolean eof;

        Stop(boolean eof) {
            super(null, null, false, false);
            this.eof = eof;
        }
    }

    /** mp_cur: the input and how far it has been read. */
    private static final class Cursor {
        final byte[] b;
        int p;

        Cursor(byte[] b, int p) {
            this.b = b;
            this.p = p;
        }

        long left() {
            return b.length - p;
        }

        void need(long len) {
            if (left() < len) {
                throw new Stop(true);
            }
        }

        int u8(int off) {
            return b[p + off] & 0xff;
        }

        long be(int off, int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | u8(off + i);
            }
            return v;
        }

        byte[] take(int off, int len) {
            byte[] out = new byte[len];
            System.arraycopy(b, p + off, out, 0, len);
            return out;
        }
    }

    /** A table being filled: its remaining elements (pairs for a map), and for a map whether a key is pushed. */
    private static final class Frame {
        final boolean hash;
        long remaining;
        int index = 1;
        boolean keyDone;

        Frame(boolean hash, long remaining) {
            this.hash = hash;
            this.remaining = remaining;
        }

        boolean needsChild() {
            return keyDone || remaining > 0;
        }
    }

    /** mp_decode_to_lua_array's start: the new table pushed, its elements to come. */
    private Frame openArray(long L, long len) {
        s.n.lua_createtable(L, 0, 0);
        lib.checkStack(L, 1, "in function mp_decode_to_lua_array");
        return new Frame(false, len);
    }

    private Frame openHash(long L, long len) {
        s.n.lua_createtable(L, 0, 0);
        return new Frame(true, len);
    }

    /**
     * mp_decode_to_lua_type: one value pushed. The C code recurses into tables; this keeps the open tables in a
     * list instead (the Java stack would end long before the Lua stack does), making the same Lua calls in the
     * same order: an array pushes its index then the element and lua_settable-s them, a map its key and value.
     */
    private void decodeType(long L, Cursor c) {
        var n = s.n;
        ArrayDeque<Frame> open = new ArrayDeque<>();
        while (true) {
            Frame parent = open.peek();
            if (parent != null) {
                if (!parent.hash) {
                    parent.remaining--;
                    n.lua_pushnumber(L, parent.index++);
                } else if (!parent.keyDone) {
                    parent.remaining--;
                }
            }
            Frame opened = begin(L, c);
            boolean done = opened == null;
            if (opened != null) {
                open.push(opened);
            }
            while (true) {
                Frame top = open.peek();
                if (top == null) {
                    return;
                }
                if (done) {
                    attach(L, top);
                    done = false;
                }
                if (top.needsChild()) {
                    break;
                }
                open.pop();
                done = true;
            }
        }
    }

    /** The value on top goes into the table under it (an array's index, or a map's key, is between them). */
    private void attach(long L, Frame f) {
        var n = s.n;
        if (f.hash && !f.keyDone) {
            f.keyDone = true;
            return;
        }
        if (f.hash) {
            f.keyDone = false;
            // lua_settable would raise these from the core (a longjmp that must not cross JNI): raised here
            if (n.lua_type(L, -2) == LuaState.TNIL) {
                throw LuaLib.coreError("table index is nil");
            }
            if (n.lua_type(L, -2) == LuaState.TNUMBER && Double.isNaN(n.lua_tonumber(L, -2))) {
                throw LuaLib.coreError("table index is NaN");
            }
        }
        n.lua_settable(L, -3);
    }

    /** Pushes a scalar (null returned) or a new table (its frame returned). */
    private Frame begin(long L, Cursor c) {
        var n = s.n;
        c.need(1);
        lib.checkStack(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
        int op = c.u8(0);
        switch (op) {
            case 0xcc -> {
                c.need(2);
                n.lua_pushinteger(L, c.u8(1));
                c.p += 2;
            }
            case 0xd0 -> {
                c.need(2);
                n.lua_pushinteger(L, (byte) c.u8(1));
                c.p += 2;
            }
            case 0xcd -> {
                c.need(3);
                n.lua_pushinteger(L, c.be(1, 2));
                c.p += 3;
            }
            case 0xd1 -> {
                c.need(3);
                n.lua_pushinteger(L, (short) c.be(1, 2));
                c.p += 3;
            }
            case 0xce -> {
                c.need(5);
                n.lua_pushinteger(L, c.be(1, 4));
                c.p += 5;
            }
            case 0xd2 -> {
                c.need(5);
                n.lua_pushinteger(L, (int) c.be(1, 4));
                c.p += 5;
            }
            case 0xcf -> {
                // lua_pushunsigned is lua_pushinteger on 64-bit builds: above 2^63 the value wraps negative
                c.need(9);
                n.lua_pushinteger(L, c.be(1, 8));
                c.p += 9;
            }
            case 0xd3 -> {
                c.need(9);
                n.lua_pushnumber(L, (double) c.be(1, 8));
                c.p += 9;
            }
            case 0xc0 -> {
                n.lua_pushnil(L);
                c.p += 1;
            }
            case 0xc3, 0xc2 -> {
                n.lua_pushboolean(L, op == 0xc3 ? 1 : 0);
                c.p += 1;
            }
            case 0xca -> {
                c.need(5);
                n.lua_pushnumber(L, Float.intBitsToFloat((int) c.be(1, 4)));
                c.p += 5;
            }
            case 0xcb -> {
                c.need(9);
                n.lua_pushnumber(L, Double.longBitsToDouble(c.be(1, 8)));
                c.p += 9;
            }
            case 0xd9 -> {
                c.need(2);
                int l = c.u8(1);
                c.need(2 + l);
                s.push(L, c.take(2, l));
                c.p += 2 + l;
            }
            case 0xda -> {
                c.need(3);
                int l = (int) c.be(1, 2);
                c.need(3 + l);
                s.push(L, c.take(3, l));
                c.p += 3 + l;
            }
            case 0xdb -> {
                c.need(5);
                long l = c.be(1, 4);
                c.p += 5;
                c.need(l);
                s.push(L, c.take(0, (int) l));
                c.p += (int) l;
            }
            case 0xdc, 0xde -> {
                c.need(3);
                long l = c.be(1, 2);
                c.p += 3;
                return op == 0xdc ? openArray(L, l) : openHash(L, l);
            }
            case 0xdd, 0xdf -> {
                c.need(5);
                long l = c.be(1, 4);
                c.p += 5;
                return op == 0xdd ? openArray(L, l) : openHash(L, l);
            }
            default -> {
                if ((op & 0x80) == 0) {
                    n.lua_pushinteger(L, op);
                    c.p += 1;
                } else if ((op & 0xe0) == 0xe0) {
                    n.lua_pushinteger(L, (byte) op);
                    c.p += 1;
                } else if ((op & 0xe0) == 0xa0) {
                    int l = op & 0x1f;
                    c.need(1 + l);
                    s.push(L, c.take(1, l));
                    c.p += 1 + l;
                } else if ((op & 0xf0) == 0x90) {
                    c.p += 1;
                    return openArray(L, op & 0xf);
                } else if ((op & 0xf0) == 0x80) {
                    c.p += 1;
                    return openHash(L, op & 0xf);
                } else {
                    throw new Stop(false);
                }
            }
        }
        return null;
    }

    private int unpackFull(long L, long limit, long offset) {
        var n = s.n;
        boolean decodeAll = limit == 0 && offset == 0;
        byte[] data = lib.checkBytes(L, 1);
        long len = data.length;
        if (offset < 0 || limit < 0) {
            // the C code prints the input's length where it means the limit
            throw LuaLib.error("Invalid request to unpack with offset of " + (int) offset + " and limit of "
                    + (int) len + ".");
        } else if (offset > len) {
            throw LuaLib.error("Start offset " + (int) offset + " greater than input length " + (int) len + ".");
        }
        if (decodeAll) {
            limit = Integer.MAX_VALUE;
        }
        Cursor c = new Cursor(data, (int) offset);
        int cnt;
        for (cnt = 0; c.left() > 0 && cnt < limit; cnt++) {
            try {
                decodeType(L, c);
            } catch (Stop e) {
                throw LuaLib.error(e.eof ? "Missing bytes in input." : "Bad data format in input.");
            }
        }
        if (!decodeAll) {
            lib.checkStack(L, 1, "in function mp_unpack_full");
            // -1 once the whole input has been read
            n.lua_pushinteger(L, c.left() == 0 ? -1 : len - c.left());
            n.lua_insert(L, 2);
            cnt++;
        }
        return cnt;
    }

    private int unpackOne(long L) {
        long offset = lib.optInteger(L, 2, 0);
        s.n.lua_settop(L, -(s.n.lua_gettop(L) - 1) - 1);
        return unpackFull(L, 1, offset);
    }

    private int unpackLimit(long L) {
        long limit = lib.checkInteger(L, 2);
        long offset = lib.optInteger(L, 3, 0);
        s.n.lua_settop(L, -(s.n.lua_gettop(L) - 1) - 1);
        return unpackFull(L, limit, offset);
    }
}
