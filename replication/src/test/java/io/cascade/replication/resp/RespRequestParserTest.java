package io.cascade.replication.resp;

import io.cascade.conf.ArgSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RespRequestParserTest {
    private static final RespRequestParser.Limits OPEN = new RespRequestParser.Limits() {
        public long maxBulkLength() {
            return 512L * 1024 * 1024;
        }

        public boolean authRequired() {
            return false;
        }
    };

    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe\r\nl\r\n"
            + "PING\r\n"
            + "*0\r\n"
            + "\r\n"
            + "echo \"a b\" 'c\\'d' \"\\x41\\n\"\n"
            + "*1\r\n$0\r\n\r\n";

    private static List<List<String>> expected() {
        return List.of(List.of("SET", "k", "he\r\nl"), List.of("PING"), List.of("echo", "a b", "c'd", "A\n"),
                List.of(""));
    }

    /** Feeds the bytes in pieces of the given sizes and collects every request, checking wire lengths add up. */
    private static List<List<String>> feed(byte[] bytes, int chunk) throws RespProtocolException {
        RespRequestParser parser = new RespRequestParser(OPEN);
        ByteBuf buf = Unpooled.buffer();
        List<List<String>> got = new ArrayList<>();
        int wireTotal = 0;
        for (int i = 0; i < bytes.length; i += chunk) {
            buf.writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
            wireTotal += drain(parser, buf, got);
            buf.discardReadBytes();
        }
        assertEquals(0, buf.readableBytes(), "all input consumed");
        // the empty requests (*0 and a blank line) are consumed without being returned
        assertEquals(bytes.length - "*0\r\n".length() - "\r\n".length(), wireTotal);
        return got;
    }

    @Test
    void parsesPipelineFedByteByByteAndInEveryChunkSize() throws Exception {
        byte[] bytes = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        for (int chunk = 1; chunk <= bytes.length; chunk++) {
            assertEquals(expected(), feed(bytes, chunk), "chunk size " + chunk);
        }
    }

    @Test
    void parsesWhenSplitAtEveryPosition() throws Exception {
        byte[] bytes = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            RespRequestParser parser = new RespRequestParser(OPEN);
            ByteBuf buf = Unpooled.buffer();
            buf.writeBytes(bytes, 0, split);
            List<List<String>> got = new ArrayList<>();
            drain(parser, buf, got);
            buf.writeBytes(bytes, split, bytes.length - split);
            drain(parser, buf, got);
            assertEquals(expected(), got, "split at " + split);
        }
    }

    /** Parses every whole request in the buffer into got; returns their total wire length. */
    private static int drain(RespRequestParser parser, ByteBuf buf, List<List<String>> got)
            throws RespProtocolException {
        int wire = 0;
        RespRequest r;
        while ((r = parser.parse(buf)) != null) {
            got.add(strings(List.of(r.args())));
            wire += r.wireLength();
        }
        return wire;
    }

    @Test
    void incompleteRequestLeavesReaderIndexAlone() throws Exception {
        RespRequestParser parser = new RespRequestParser(OPEN);
        ByteBuf buf = Unpooled.copiedBuffer("*2\r\n$4\r\nECHO\r\n$3\r\nab", StandardCharsets.US_ASCII);
        assertNull(parser.parse(buf));
        assertEquals(0, buf.readerIndex());
        buf.writeBytes("c\r\n".getBytes(StandardCharsets.US_ASCII));
        RespRequest r = parser.parse(buf);
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), r.arg(1));
        assertEquals(buf.writerIndex(), r.wireLength());
    }

    private static String errorOf(String input, RespRequestParser.Limits limits) {
        RespRequestParser parser = new RespRequestParser(limits);
        ByteBuf buf = Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1);
        return assertThrows(RespProtocolException.class, () -> {
            while (parser.parse(buf) != null) {
                // keep going until the error
            }
        }).getMessage();
    }

    @Test
    void malformedInputGetsRedisErrorTexts() {
        assertEquals("Protocol error: invalid multibulk length", errorOf("*x\r\n", OPEN));
        assertEquals("Protocol error: invalid multibulk length", errorOf("*2147483648\r\n", OPEN));
        assertEquals("Protocol error: invalid multibulk length", errorOf("*01\r\n", OPEN));
        assertEquals("Protocol error: expected '$', got 'x'", errorOf("*1\r\nx3\r\nabc\r\n", OPEN));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$-3\r\n", OPEN));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$+3\r\n", OPEN));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$536870913\r\n", OPEN));
        assertEquals("Protocol error: unbalanced quotes in request", errorOf("set \"a\n", OPEN));
        assertEquals("Protocol error: unbalanced quotes in request", errorOf("set \"a\"b\n", OPEN));
        String big = "x".repeat(RespRequestParser.INLINE_MAX_SIZE + 1);
        assertEquals("Protocol error: too big inline request", errorOf(big, OPEN));
        assertEquals("Protocol error: too big mbulk count string", errorOf("*" + big, OPEN));
        assertEquals("Protocol error: too big bulk count string", errorOf("*1\r\n$" + big, OPEN));
    }

    @Test
    void unauthenticatedClientsGetSmallLimits() {
        RespRequestParser.Limits locked = new RespRequestParser.Limits() {
            public long maxBulkLength() {
                return 512L * 1024 * 1024;
            }

            public boolean authRequired() {
                return true;
            }
        };
        assertEquals("Protocol error: unauthenticated multibulk length", errorOf("*11\r\n", locked));
        assertEquals("Protocol error: unauthenticated bulk length", errorOf("*1\r\n$16385\r\n", locked));
    }

    @Test
    void inlineSplitIsBinarySafe() {
        assertEquals(List.of("a", "b c", "d"), strings(ArgSplitter.split(bytes("  a \"b c\"\td  "))));
        assertEquals(List.of("ab c"), strings(ArgSplitter.split(bytes("a\"b c\""))));
        assertEquals(List.of("\u0001\t"), strings(ArgSplitter.split(bytes("\"\\x01\\t\""))));
        assertEquals(List.of("x\\y"), strings(ArgSplitter.split(bytes("'x\\y'"))));
        assertEquals(List.of(""), strings(ArgSplitter.split(bytes("\"\""))));
        assertEquals(List.of(), strings(ArgSplitter.split(bytes("   "))));
        assertEquals(List.of("\u00ff\u0080"), strings(ArgSplitter.split(bytes("\"\\xff\\x80\""))));
        assertNull(ArgSplitter.split(bytes("'abc")));
        assertNull(ArgSplitter.split(bytes("'a'b")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] b : l) {
            out.add(new String(b, StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
