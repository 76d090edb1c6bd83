package io.cascade.server;

import io.cascade.server.command.CommandException;
import io.cascade.storage.types.Ints;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The timeout argument of blocking commands, as Redis's getTimeoutFromObjectOrReply: seconds as a C long
 * double (strtold's syntax, no surrounding spaces) turned into an absolute deadline in unix ms, 0 meaning
 * forever. Pure functions, any thread.
 */
public final class BlockingTimeout {
    public static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
    public static final String NOT_AN_INTEGER = "ERR timeout is not an integer or out of range";
    public static final String NEGATIVE = "ERR timeout is negative";

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    private static final Pattern INFINITY = Pattern.compile("[+-]?(?i:inf|infinity)");
    /** The largest and the smallest non-zero x87 long double: strtold fails with ERANGE beyond them. */
    private static final BigDecimal LDBL_MAX = new BigDecimal("1.18973149535723176502e4932");
    private static final BigDecimal LDBL_TRUE_MIN = new BigDecimal("3.64519953188247460253e-4951");
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private BlockingTimeout() {
    }

    /** A timeout in seconds (BLPOP, BLMOVE ...): the deadline in unix ms, 0 for none; CommandException if bad. */
    public static long deadlineFromSeconds(byte[] arg, long nowMillis) {
        String s = new String(arg, StandardCharsets.ISO_8859_1);
        long ms;
        if (INFINITY.matcher(s).matches()) {
            // (long long) ceill(inf) is x86's "integer indefinite", LLONG_MIN: Redis calls it negative
            ms = Long.MIN_VALUE;
        } else {
            BigDecimal seconds = parse(s);
            if (seconds == null) {
                throw new CommandException(NOT_A_FLOAT);
            }
            BigDecimal millis = seconds.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
            // out of the long long range the C conversion also yields LLONG_MIN
            ms = millis.compareTo(LONG_MAX) > 0 || millis.compareTo(LONG_MIN) < 0 ? Long.MIN_VALUE : millis.longValue();
        }
        return deadline(ms, nowMillis);
    }

    /** A timeout in milliseconds (XREAD BLOCK, WAIT): the deadline in unix ms, 0 for none. */
    public static long deadlineFromMillis(byte[] arg, long nowMillis) {
        Long ms = Ints.parse(arg);
        if (ms == null) {
            throw new CommandException(NOT_AN_INTEGER);
        }
        return deadline(ms, nowMillis);
    }

    private static long deadline(long ms, long nowMillis) {
        if (ms < 0) {
            throw new CommandException(NEGATIVE);
        }
        // a huge timeout wraps around as in C, and then times out at once, as in Redis
        return ms == 0 ? 0 : ms + nowMillis;
    }

    /** strtold's value of the whole string, or null where Redis's string2ld fails (NaN, overflow, junk). */
    static BigDecimal parse(String s) {
        if (s.isEmpty() || s.length() >= 5 * 1024) {
            return null;
        }
        BigDecimal v;
        if (DECIMAL.matcher(s).matches()) {
            try {
                v = new BigDecimal(s.endsWith(".") ? s + "0" : s.replace("+.", "+0.").replace("-.", "-0."));
            } catch (NumberFormatException | ArithmeticException e) {
                // an exponent past int range: zero if the digits are all zero, else an ERANGE
                return s.replaceAll("[eE].*", "").matches("[+-]?[0.]*") ? BigDecimal.ZERO : null;
            }
        } else if (HEX.matcher(s).matches()) {
            double d = Double.parseDouble(s.matches(".*[pP].*") ? s : s + "p0");
            if (Double.isInfinite(d)) {
                return null;
            }
            v = new BigDecimal(d);
        } else {
            return null;
        }
        BigDecimal abs = v.abs();
        if (abs.compareTo(LDBL_MAX) > 0 || (v.signum() != 0 && abs.compareTo(LDBL_TRUE_MIN) < 0)) {
            return null;
        }
        return v;
    }
}
