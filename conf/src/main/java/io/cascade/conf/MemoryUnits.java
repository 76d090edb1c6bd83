package io.cascade.conf;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Memory amounts as Redis reads and prints them: memtoull ("1k" = 1000, "1kb" = 1024, m/mb, g/gb, any case),
 * bytesToHuman for INFO ("1.00M") and the gb/mb/kb form CONFIG REWRITE writes. Pure, any thread.
 * Values are unsigned 64-bit numbers held in a long (use {@link Long#toUnsignedString(long)} to print).
 */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /**
     * memtoull: digits followed by an optional unit. Quirks kept from C: "" and a bare unit ("kb") are 0, too
     * many digits saturate at 2^64-1 (strtoull's ERANGE is not checked), and the multiplication wraps.
     *
     * @throws IllegalArgumentException when the text is not a memory value (sign, blanks, unknown unit)
     */
    public static long parse(String text) {
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("negative memory value: " + text);
        }
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        long mul = switch (text.substring(i).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("bad memory unit: " + text);
        };
        if (i >= 128) {
            throw new IllegalArgumentException("memory value too long");
        }
        long val = 0;
        if (i > 0) {
            BigInteger big = new BigInteger(text.substring(0, i));
            val = big.bitLength() > 64 ? -1L : big.longValue();
        }
        return val * mul;
    }

    /** True when {@link #parse(String)} would accept the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** bytesToHuman of server.c: "512B", "1.50K", "1.00M", ... up to "P", then plain bytes again. */
    public static String bytesToHuman(long n) {
        if (Long.compareUnsigned(n, 1024) < 0) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double scale = 1024;
        for (String unit : units) {
            if (Long.compareUnsigned(n, (long) (scale * 1024)) < 0) {
                return CStrings.formatFixed(unsignedToDouble(n) / scale, 2) + unit;
            }
            scale *= 1024;
        }
        return Long.toUnsignedString(n) + "B";
    }

    /** rewriteConfigFormatMemory: the largest of gb/mb/kb that divides the value exactly, else plain bytes. */
    public static String formatForRewrite(long bytes) {
        long gb = 1024L * 1024 * 1024;
        long mb = 1024L * 1024;
        long kb = 1024;
        if (bytes != 0 && Long.remainderUnsigned(bytes, gb) == 0) {
            return Long.divideUnsigned(bytes, gb) + "gb";
        } else if (bytes != 0 && Long.remainderUnsigned(bytes, mb) == 0) {
            return Long.divideUnsigned(bytes, mb) + "mb";
        } else if (bytes != 0 && Long.remainderUnsigned(bytes, kb) == 0) {
            return Long.divideUnsigned(bytes, kb) + "kb";
        }
        return Long.toUnsignedString(bytes);
    }

    private static double unsignedToDouble(long n) {
        return n >= 0 ? n : (n >>> 1) * 2.0 + (n & 1);
    }
}
