package io.cascade.server.scripting;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "struct" library scripts get in Redis (Roberto Ierusalimschy's struct, deps/lua/src/lua_struct.c):
 * pack, unpack and size of binary records, with the sizes and alignment of the x86-64 build Redis runs on
 * (long and size_t 8 bytes, int 4, native order little-endian, "!" alone aligns to 8). Format strings end at
 * their first NUL, as C strings do. Command thread only.
 */
final class StructLib {
    private static final int MAXINTSIZE = 32;
    private static final int MAXALIGN = 8;
    private static final int BIG = 0;
    private static final int LITTLE = 1;

    private final LuaLib lib;
    private final LuaState s;

    private StructLib(LuaState s) {
        this.s = s;
        this.lib = new LuaLib(s);
    }

    /** Pushes the struct table. */
    static void open(LuaState s, long L) {
        StructLib m = new StructLib(s);
        Map<String, LuaLib.Body> f = new LinkedHashMap<>();
        f.put("pack", m::pack);
        f.put("unpack", m::unpack);
        f.put("size", m::size);
        // luaL_register sizes the table for its functions
        m.lib.pushTable(L, f, f.size());
    }

    /** The format being read, with the current endianness and maximum alignment (Header). */
    private static final class Format {
        final byte[] fmt;
        int i;
        int endian = LITTLE;
        int align = 1;

        Format(byte[] fmt) {
            this.fmt = LuaLib.cString(fmt);
        }

        boolean more() {
            return i < fmt.length;
        }

        int peek() {
            return i < fmt.length ? fmt[i] : 0;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int getnum(Format h, int df) {
        if (!isDigit(h.peek())) {
            return df;
        }
        int a = 0;
        do {
            if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - (h.peek() - '0')) {
                throw LuaLib.error("integral size overflow");
            }
            a = a * 10 + (h.fmt[h.i++] - '0');
        } while (isDigit(h.peek()));
        return a;
    }

    private static long optsize(int opt, Format h) {
        switch (opt) {
            case 'B', 'b', 'x':
                return 1;
            case 'H', 'h':
                return 2;
            case 'L', 'l', 'T', 'd':
                return 8;
            case 'f':
                return 4;
            case 'c':
                return getnum(h, 1);
            case 'i', 'I': {
                int sz = getnum(h, 4);
                if (sz > MAXINTSIZE) {
                    throw LuaLib.error("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                }
                return sz;
            }
            default:
                return 0;
        }
    }

    /** Padding before an item of this size at len (sizes above the maximum alignment align to it). */
    private static long gettoalign(long len, Format h, int opt, long size) {
        if (size == 0 || opt == 'c') {
            return 0;
        }
        if (Long.compareUnsigned(size, h.align) > 0) {
            size = h.align;
        }
        return (size - (len & (size - 1))) & (size - 1);
    }

    private static void controloptions(int opt, Format h) {
        switch (opt) {
            case ' ':
                return;
            case '>':
                h.endian = BIG;
                return;
            case '<':
                h.endian = LITTLE;
                return;
            case '!': {
                int a = getnum(h, MAXALIGN);
                if (!(a > 0 && (a & (a - 1)) == 0)) {
                    throw LuaLib.error("alignment " + a + " is not a power of 2");
                }
                h.align = a;
                return;
            }
            default: {
                ByteArrayOutputStream msg = new ByteArrayOutputStream();
                msg.writeBytes(CNumbers.ascii("invalid format option '"));
                msg.write(opt);
                msg.write('\'');
                throw LuaLib.argError(1, msg.toByteArray());
            }
        }
    }

    private void putinteger(long L, ByteArrayOutputStream b, int arg, int endian, int size) {
        double n = lib.checkNumber(L, arg);
        long value = n < 0 ? CNumbers.toInt64(n) : CNumbers.toUint64(n);
        byte[] buff = new byte[size];
        for (int i = 0; i < size; i++) {
            buff[endian == LITTLE ? i : size - 1 - i] = (byte) value;
            value >>>= 8;
        }
        b.writeBytes(buff);
    }

    private static void putReversedIfBig(ByteArrayOutputStream b, long bits, int size, int endian) {
        for (int i = 0; i < size; i++) {
            int shift = endian == LITTLE ? 8 * i : 8 * (size - 1 - i);
            b.write((int) (bits >>> shift));
        }
    }

    private int pack(long L) {
        byte[] f = lib.checkBytes(L, 1);
        Format h = new Format(f);
        int arg = 2;
        long totalsize = 0;
        // the C code's mark between the arguments and its buffer: a missing argument right after the last
        // one reads as this nil ("got nil", not "got no value")
        s.n.lua_pushnil(L);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (h.more()) {
            int opt = h.fmt[h.i++];
            long size = optsize(opt, h);
            long toalign = gettoalign(totalsize, h, opt, size);
            totalsize += toalign;
            while (toalign-- > 0) {
                b.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> putinteger(L, b, arg++, h.endian, (int) size);
                case 'x' -> b.write(0);
                case 'f' -> {
                    float v = (float) lib.checkNumber(L, arg++);
                    putReversedIfBig(b, Float.floatToRawIntBits(v) & 0xffffffffL, 4, h.endian);
                }
                case 'd' -> {
                    double v = lib.checkNumber(L, arg++);
                    putReversedIfBig(b, Double.doubleToRawLongBits(v), 8, h.endian);
                }
                case 'c', 's' -> {
                    byte[] str = lib.checkBytes(L, arg++);
                    long l = str.length;
                    if (size == 0) {
                        size = l;
                    }
                    // the C code names the argument after the string's
                    lib.argCheck(Long.compareUnsigned(l, size) >= 0, arg, "string too short");
                    b.write(str, 0, (int) size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                }
                default -> controloptions(opt, h);
            }
            totalsize += size;
        }
        s.push(L, b.toByteArray());
        return 1;
    }

    private static double getinteger(byte[] data, int pos, int endian, boolean signed, int size) {
        long l = 0;
        for (int k = 0; k < size; k++) {
            int i = endian == BIG ? k : size - 1 - k;
            l = (l << 8) | (data[pos + i] & 0xff);
        }
        if (!signed) {
            return CNumbers.fromUint64(l);
        }
        // shifts of a 64-bit value use the count modulo 64, as x86-64 does
        long mask = -1L << (size * 8 - 1);
        if ((l & mask) != 0) {
            l |= mask;
        }
        return (double) l;
    }

    /** size <= ld && pos <= ld - size, in size_t arithmetic. */
    private void checkRoom(long size, long pos, long ld) {
        lib.argCheck(Long.compareUnsigned(size, ld) <= 0 && Long.compareUnsigned(pos, ld - size) <= 0, 2,
                "data string too short");
    }

    private int unpack(long L) {
        var n = s.n;
        byte[] f = lib.checkBytes(L, 1);
        Format h = new Format(f);
        byte[] data = lib.checkBytes(L, 2);
        long ld = data.length;
        long pos = lib.optInteger(L, 3, 1);
        lib.argCheck(pos != 0, 3, "offset must be 1 or greater");
        pos--;
        int results = 0;
        while (h.more()) {
            int opt = h.fmt[h.i++];
            long size = optsize(opt, h);
            pos += gettoalign(pos, h, opt, size);
            checkRoom(size, pos, ld);
            lib.checkStack(L, 2, "too many results");
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    boolean signed = opt >= 'a' && opt <= 'z';
                    n.lua_pushnumber(L, getinteger(data, (int) pos, h.endian, signed, (int) size));
                    results++;
                }
                case 'x' -> {
                }
                case 'f' -> {
                    int bits = (int) raw(data, (int) pos, 4, h.endian);
                    n.lua_pushnumber(L, Float.intBitsToFloat(bits));
                    results++;
                }
                case 'd' -> {
                    n.lua_pushnumber(L, Double.longBitsToDouble(raw(data, (int) pos, 8, h.endian)));
                    results++;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (results == 0 || n.lua_isnumber(L, -1) == 0) {
                            throw LuaLib.error("format 'c0' needs a previous size");
                        }
                        size = CNumbers.toUint64(n.lua_tonumber(L, -1));
                        n.lua_settop(L, -2);
                        results--;
                        checkRoom(size, pos, ld);
                    }
                    s.push(L, Arrays.copyOfRange(data, (int) pos, (int) (pos + size)));
                    results++;
                }
                case 's' -> {
                    int e = -1;
                    for (int k = (int) pos; k < ld; k++) {
                        if (data[k] == 0) {
                            e = k;
                            break;
                        }
                    }
                    if (e < 0) {
                        throw LuaLib.error("unfinished string in data");
                    }
                    size = e - pos + 1;
                    s.push(L, Arrays.copyOfRange(data, (int) pos, e));
                    results++;
                }
                default -> controloptions(opt, h);
            }
            pos += size;
        }
        n.lua_pushinteger(L, pos + 1);
        return results + 1;
    }

    /** The bytes at pos as a value of the given order. */
    private static long raw(byte[] data, int pos, int size, int endian) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int i = endian == BIG ? k : size - 1 - k;
            v = (v << 8) | (data[pos + i] & 0xff);
        }
        return v;
    }

    private int size(long L) {
        byte[] f = lib.checkBytes(L, 1);
        Format h = new Format(f);
        long pos = 0;
        while (h.more()) {
            int opt = h.fmt[h.i++];
            long size = optsize(opt, h);
            pos += gettoalign(pos, h, opt, size);
            if (opt == 's') {
                throw LuaLib.argError(1, "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw LuaLib.argError(1, "option 'c0' has no fixed size");
            }
            if (!isAlnum(opt)) {
                controloptions(opt, h);
            }
            pos += size;
        }
        s.n.lua_pushinteger(L, pos);
        return 1;
    }
}
