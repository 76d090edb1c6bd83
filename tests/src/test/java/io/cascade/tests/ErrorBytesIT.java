package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Error replies that quote the client's arguments carry the bytes as sent, as Redis's printf of argv does:
 * invalid UTF-8 stays as it is, a NUL ends the quoted argument, "%.128s" counts bytes, CR/LF are blanked.
 * Every reply is compared byte for byte with redis-server's.
 */
@ExtendWith(Servers.class)
class ErrorBytesIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    private static final String FF_FE = "\u00ff\u00fe";
    /** "é" as its two UTF-8 bytes, one char per byte. */
    private static final String E_ACUTE = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

    /** Arguments are one char per byte (ISO-8859-1); the replies are compared as bytes. */
    private static void same(String... args) throws IOException {
        try (RawConnection r = new RawConnection(twin.redis.port());
             RawConnection c = new RawConnection(twin.cascade.port())) {
            assertEquals(r.callBinary(args), c.callBinary(args), "reply to " + String.join(" ", args));
        }
    }

    @Test
    void unknownCommandQuotesRawBytes() throws IOException {
        same(FF_FE);
        same(FF_FE, FF_FE, "x");
        same("ab\u0000cd", "x\u0000y", "\u0000", FF_FE);
        same(E_ACUTE.repeat(100), E_ACUTE.repeat(30), "tail");
        same("nosuch", E_ACUTE.repeat(63) + "x", "y");
        same("nosuch", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d");
        same("nosuch", "line\r\nbreak", "\n");
    }

    @Test
    void unknownSubcommandQuotesRawBytes() throws IOException {
        same("CONFIG", FF_FE);
        // not "get\0x": Redis finds config|get by it only when its seeded hash of the five bytes falls in get's
        // bucket (strcasecmp then stops at the NUL), so its reply changes from one redis-server to the next
        same("cOnFiG", "nosuch\u0000x");
        same("client", E_ACUTE.repeat(80));
        same("OBJECT", "x\r\ny", "k");
        same("DEBUG", FF_FE, "a", "b");
        same("PUBSUB", FF_FE + "\u0000z", "a", "b", "c");
        same("CLIENT", "UNBLOCK", "1", "a", "b");
        same("client", "pause", "10", "WRITE", FF_FE);
    }

    @Test
    void optionErrorsQuoteRawBytes() throws IOException {
        same("SET", "k", "v");
        same("EXPIRE", "k", "10", FF_FE);
        same("EXPIRE", "k", "10", "ab\u0000cd");
        same("PEXPIRE", "k", "10", "opt\r\n");
        same("EXPIREAT", "k", "10", "NX", E_ACUTE);
        same("HELLO", "3", FF_FE);
        same("HELLO", "2", "x\u0000y");
        same("CLIENT", "LIST", "TYPE", FF_FE);
        same("CLIENT", "KILL", "TYPE", E_ACUTE);
        same("CLIENT", "KILL", "USER", FF_FE + "\u0000");
        same("CONFIG", "SET", FF_FE + "\u0000x", "1");
        same("CONFIG", "SET", "maxmemory", "1", E_ACUTE, "2");
        same("PFDEBUG", FF_FE, "k");
        same("REPLCONF", FF_FE, "1");
    }

    @Test
    void protocolErrorQuotesTheByte() throws IOException {
        byte[] request = {'*', '1', '\r', '\n', (byte) 0xff, 'x', '\r', '\n'};
        try (RawConnection r = new RawConnection(twin.redis.port());
             RawConnection c = new RawConnection(twin.cascade.port())) {
            r.send(request);
            c.send(request);
            assertEquals(r.readReplyBinary(), c.readReplyBinary());
        }
    }

    @Test
    void errorsInsideMultiAndErrorStats() throws IOException {
        try (RawConnection r = new RawConnection(twin.redis.port());
             RawConnection c = new RawConnection(twin.cascade.port())) {
            for (String[] cmd : new String[][] {{"CONFIG", "RESETSTAT"}, {"MULTI"}, {FF_FE, "a"}, {"EXEC"},
                    {"INFO", "errorstats"}}) {
                String expected = r.callBinary(cmd);
                String actual = c.callBinary(cmd);
                assertEquals(expected, actual, String.join(" ", cmd));
            }
        }
    }
}
