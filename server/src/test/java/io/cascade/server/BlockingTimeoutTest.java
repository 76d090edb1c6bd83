package io.cascade.server;

import io.cascade.server.command.CommandException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Blocking timeouts parsed as redis-server 7.0.15 parses them (the table was checked against it with BLPOP). */
class BlockingTimeoutTest {
    private static final long NOW = 1_700_000_000_000L;

    private static long deadline(String arg) {
        return BlockingTimeout.deadlineFromSeconds(arg.getBytes(StandardCharsets.ISO_8859_1), NOW);
    }

    private static String error(String arg) {
        return assertThrows(CommandException.class, () -> deadline(arg), arg).getMessage();
    }

    @Test
    void acceptedTimeoutsBecomeDeadlinesRoundedUpToTheMillisecond() {
        assertEquals(0, deadline("0"));
        assertEquals(0, deadline("-0"));
        assertEquals(0, deadline("-0.0001"), "ceil(-0.1 ms) is 0: Redis then blocks forever");
        assertEquals(0, deadline("0e99999999999"));
        assertEquals(NOW + 100, deadline("0.1"));
        assertEquals(NOW + 1, deadline("0.0001"));
        assertEquals(NOW + 1001, deadline("1.0001"));
        assertEquals(NOW + 500, deadline(".5"));
        assertEquals(NOW + 5000, deadline("5."));
        assertEquals(NOW + 1000, deadline("+1"));
        assertEquals(NOW + 500, deadline("+.5"));
        assertEquals(NOW + 16000, deadline("0x10"));
        assertEquals(NOW + 8000, deadline("0X1p3"));
        assertEquals(NOW + 500, deadline("0x.8"));
        assertEquals(NOW + 1_000_000, deadline("1e3"));
        assertEquals(NOW + 1, deadline("1E-3"));
        assertEquals(NOW + 1, deadline("1e-4950"), "a denormal long double is still a number");
    }

    @Test
    void rejectedTimeoutsUseRedissErrors() {
        String notFloat = "ERR timeout is not a float or out of range";
        String negative = "ERR timeout is negative";
        for (String bad : new String[] {"0x", "nan", "1e4933", "1e-4952", "1e-5000", " 1", "1 ", "", "1e", "1e+",
            "0x1g", "1,5", "abc", "1d", "1f", "+", "-", "."}) {
            assertEquals(notFloat, error(bad), bad);
        }
        // beyond the long long range the C conversion gives LLONG_MIN, which Redis reports as negative
        for (String neg : new String[] {"-1", "-.5", "inf", "-inf", "infinity", "INF", "1e400", "9223372036854775807",
            "-9223372036854775808"}) {
            assertEquals(negative, error(neg), neg);
        }
    }

    @Test
    void millisecondTimeoutsAreIntegers() {
        assertEquals(NOW + 1500, BlockingTimeout.deadlineFromMillis("1500".getBytes(), NOW));
        assertEquals(0, BlockingTimeout.deadlineFromMillis("0".getBytes(), NOW));
        assertEquals("ERR timeout is not an integer or out of range",
                assertThrows(CommandException.class, () -> BlockingTimeout.deadlineFromMillis("1.5".getBytes(), NOW))
                        .getMessage());
        assertEquals("ERR timeout is negative",
                assertThrows(CommandException.class, () -> BlockingTimeout.deadlineFromMillis("-1".getBytes(), NOW))
                        .getMessage());
    }
}
