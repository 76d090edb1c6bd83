package io.cascade.server.commands;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 80-bit "long double" that Redis on x86-64 Linux uses for INCRBYFLOAT and HINCRBYFLOAT, emulated
 * exactly: glibc strtold's parse (decimal and hex forms, inf, nan) rounded to a 64-bit significand, the
 * addition rounded the same way, and ld2string's LD_STR_HUMAN output ("%.17Lf" with trailing zeros trimmed).
 * Java's double has 53 bits, which would give other digits (10.5 + 0.1 must be "10.6", as in Redis).
 * A finite value is mant * 2^exp with |mant| < 2^64. Immutable, pure functions, any thread.
 */
public final class LongDouble {
    /** strtold grammar limits: Redis's string2ld refuses inputs of MAX_LONG_DOUBLE_CHARS (5 kB) or more. */
    private static final int MAX_CHARS = 5 * 1024;
    /** Exponent of the quantum of subnormals: the smallest positive value is 2^-16445. */
    private static final int MIN_QUANTUM = -16445;
    /** Smallest exponent of a normal value (2^-16382). */
    private static final int MIN_NORMAL_EXP = -16382;
    /** Values at or above 2^16384 overflow to infinity. */
    private static final int OVERFLOW_EXP = 16384;
    private static final int SIGNIFICAND_BITS = 64;

    public static final LongDouble ZERO = new LongDouble(BigInteger.ZERO, 0, Kind.FINITE);
    private static final LongDouble POS_INF = new LongDouble(BigInteger.ONE, 0, Kind.INFINITE);
    private static final LongDouble NEG_INF = new LongDouble(BigInteger.ONE.negate(), 0, Kind.INFINITE);
    private static final LongDouble NAN = new LongDouble(BigInteger.ZERO, 0, Kind.NAN);

    private enum Kind { FINITE, INFINITE, NAN }

    private final BigInteger mant;
    private final int exp;
    private final Kind kind;

    private LongDouble(BigInteger mant, int exp, Kind kind) {
        this.mant = mant;
        this.exp = exp;
        this.kind = kind;
    }

    /** A 64-bit integer is exact in a 64-bit significand. */
    public static LongDouble of(long v) {
        return v == 0 ? ZERO : new LongDouble(BigInteger.valueOf(v), 0, Kind.FINITE);
    }

    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    /** Redis's isnan || isinf. */
    public boolean isNanOrInfinite() {
        return kind != Kind.FINITE;
    }

    /**
     * Redis's string2ld: strtold on the whole string. Returns null when it is not entirely a number, is NaN,
     * or overflows or underflows to zero from a non-zero literal (ERANGE). "inf" and "infinity" are accepted.
     */
    public static LongDouble parse(byte[] s) {
        if (s.length == 0 || s.length >= MAX_CHARS) {
            return null;
        }
        LongDouble v = new FloatParser(s).parse();
        return v == null || v.kind == Kind.NAN ? null : v;
    }

    /** The sum rounded to nearest-even at 64 bits, as the FPU adds two long doubles. */
    public LongDouble add(LongDouble o) {
        if (kind == Kind.NAN || o.kind == Kind.NAN) {
            return NAN;
        }
        if (kind == Kind.INFINITE || o.kind == Kind.INFINITE) {
            if (kind == Kind.INFINITE && o.kind == Kind.INFINITE && mant.signum() != o.mant.signum()) {
                return NAN;
            }
            return kind == Kind.INFINITE ? this : o;
        }
        if (mant.signum() == 0) {
            return o;
        }
        if (o.mant.signum() == 0) {
            return this;
        }
        int e = Math.min(exp, o.exp);
        BigInteger sum = mant.shiftLeft(exp - e).add(o.mant.shiftLeft(o.exp - e));
        // zero's sign is irrelevant here: "%.17Lf" of -0 is turned into "0" like any tiny negative value
        if (sum.signum() == 0) {
            return ZERO;
        }
        LongDouble r = round(sum.signum(), sum.abs(), BigInteger.ONE, e);
        return r == null ? ZERO : r; // cannot happen: sums of grid values stay on the subnormal grid
    }

    /**
     * ld2string's LD_STR_HUMAN: "%.17Lf" (fixed point, 17 decimals, glibc's exact round-half-even), then the
     * trailing zeros and a trailing '.' removed, and "-0" written "0".
     */
    public String toHumanString() {
        if (kind == Kind.INFINITE) {
            return mant.signum() > 0 ? "inf" : "-inf";
        }
        if (kind == Kind.NAN) {
            return "nan";
        }
        // below 2^-58 (< 0.5e-17) the 17 decimals are all zero: skip the huge exact expansion
        if (mant.signum() == 0 || exp + mant.bitLength() < -58) {
            return "0";
        }
        BigDecimal exact = exp >= 0 ? new BigDecimal(mant.shiftLeft(exp))
                : new BigDecimal(mant.multiply(BigInteger.valueOf(5).pow(-exp)), -exp);
        return human(exact);
    }

    /** LD_STR_HUMAN of an exact finite value: "%.17Lf", trailing zeros and a bare '.' removed, "-0" as "0". */
    static String human(BigDecimal exact) {
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    @Override
    public String toString() {
        return toHumanString();
    }

    static LongDouble infinity(boolean negative) {
        return negative ? NEG_INF : POS_INF;
    }

    static LongDouble nan() {
        return NAN;
    }

    /**
     * The value sign * num/den * 2^shift (num, den > 0) rounded to nearest-even at 64 significant bits, with
     * the gradual underflow of the x87 format and overflow to infinity. A result rounded to zero is null
     * (strtold's ERANGE underflow).
     */
    static LongDouble round(int sign, BigInteger num, BigInteger den, int shift) {
        return round(sign, num, den, shift, false);
    }

    /**
     * As round; with strtoldQuirk, glibc's strtold bug for subnormal results is reproduced: its rounding
     * drops the 65th significant bit when nothing follows it (round_and_return folds only the bits below
     * it into the sticky bit), so e.g. 0x1.0000000000000001p-16446 becomes 0 (ERANGE). Only hex literals can
     * hit it: a decimal would need thousands more digits than string2ld allows.
     */
    static LongDouble round(int sign, BigInteger num, BigInteger den, int shift, boolean strtoldQuirk) {
        int k = num.bitLength() - den.bitLength();
        boolean atLeast = k >= 0 ? num.compareTo(den.shiftLeft(k)) >= 0 : num.shiftLeft(-k).compareTo(den) >= 0;
        long e2 = (long) (atLeast ? k : k - 1) + shift; // 2^e2 <= value < 2^(e2+1)
        if (e2 >= OVERFLOW_EXP) {
            return infinity(sign < 0);
        }
        if (e2 < MIN_QUANTUM - 2) {
            return null; // below half the smallest subnormal
        }
        if (strtoldQuirk && e2 < MIN_NORMAL_EXP) {
            int q64 = (int) e2 - (SIGNIFICAND_BITS - 1); // quantum of a normalized 64-bit significand
            int s = shift - q64;
            BigInteger n = s >= 0 ? num.shiftLeft(s) : num;
            BigInteger d = s >= 0 ? den : den.shiftLeft(-s);
            BigInteger[] qr = n.divideAndRemainder(d);
            if (qr[1].shiftLeft(1).equals(d)) {
                num = qr[0];
                den = BigInteger.ONE;
                shift = q64;
            }
        }
        int q = (int) Math.max(e2, MIN_NORMAL_EXP) - (SIGNIFICAND_BITS - 1);
        int s = shift - q;
        BigInteger m;
        int half;
        boolean odd;
        if (den.equals(BigInteger.ONE) && s <= 0) {
            m = num.shiftRight(-s);
            if (s == 0) {
                half = -1;
            } else {
                BigInteger rest = num.subtract(m.shiftLeft(-s));
                half = rest.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(-s));
            }
        } else {
            BigInteger n = s >= 0 ? num.shiftLeft(s) : num;
            BigInteger d = s >= 0 ? den : den.shiftLeft(-s);
            BigInteger[] qr = n.divideAndRemainder(d);
            m = qr[0];
            half = qr[1].signum() == 0 ? -1 : qr[1].shiftLeft(1).compareTo(d);
        }
        odd = m.testBit(0);
        if (half > 0 || (half == 0 && odd)) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() > SIGNIFICAND_BITS) { // rounded up to 2^64
            m = m.shiftRight(1);
            q++;
        }
        if (m.signum() == 0) {
            return null;
        }
        if ((long) q + m.bitLength() > OVERFLOW_EXP) {
            return infinity(sign < 0);
        }
        return new LongDouble(sign < 0 ? m.negate() : m, q, Kind.FINITE);
    }
}
