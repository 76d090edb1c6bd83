package io.cascade.storage.types;

import io.cascade.conf.CStrings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's printf "%.17g" for a double, byte for byte as glibc prints it: Redis 7.0 formats sorted-set scores this way
 * in DEBUG DIGEST and in RESP double replies (addReplyDouble), so a shortest-repr formatter (Java's
 * Double.toString) would give other text. Pure function, any thread.
 */
public final class G17 {
    private static final int PRECISION = 17;
    private static final MathContext ROUND = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private G17() {
    }

    public static String format(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (Double.doubleToRawLongBits(d) < 0) ? "-" : "";
        if (d == 0) {
            return sign + "0";
        }
        // the exact binary value rounded to 17 significant digits (glibc rounds the exact value, to nearest even)
        BigDecimal v = new BigDecimal(Math.abs(d)).round(ROUND);
        int exponent = v.precision() - v.scale() - 1;
        String out;
        if (exponent >= -4 && exponent < PRECISION) {
            out = stripZeros(v.setScale(PRECISION - 1 - exponent, RoundingMode.UNNECESSARY).toPlainString());
        } else {
            String digits = v.unscaledValue().toString();
            StringBuilder m = new StringBuilder(digits);
            while (m.length() < PRECISION) {
                m.append('0');
            }
            String mantissa = stripZeros(m.charAt(0) + "." + m.substring(1));
            int e = Math.abs(exponent);
            out = mantissa + "e" + (exponent < 0 ? '-' : '+') + (e < 10 ? "0" : "") + e;
        }
        return sign + out;
    }

    /** %g drops trailing zeros of the fraction, and the point when nothing is left after it. */
    private static String stripZeros(String s) {
        return CStrings.trimDouble(s);
    }
}
