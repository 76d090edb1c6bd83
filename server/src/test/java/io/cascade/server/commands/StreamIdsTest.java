package io.cascade.server.commands;

import io.cascade.server.command.CommandException;
import io.cascade.storage.types.StreamId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream ID arguments and the radix tree node count against what redis-server 7.0.15 answered for the same
 * inputs (XADD / XRANGE / XDEL of each, XINFO STREAM's radix-tree-nodes).
 */
class StreamIdsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void numbersAreReadAsString2ull() {
        assertEquals(new StreamId(5, 0), StreamIds.parseStrict(b("+5"), 0));
        assertEquals(new StreamId(5, 1), StreamIds.parseStrict(b("5-+1"), 0));
        assertEquals(new StreamId(5, 1), StreamIds.parseStrict(b("5- 1"), 0));
        assertEquals(new StreamId(5, 1), StreamIds.parseStrict(b("5-01"), 0));
        assertEquals(new StreamId(7, 0), StreamIds.parseStrict(b(" 7"), 0));
        assertEquals(new StreamId(1000, 0), StreamIds.parseStrict(b("00001000-0"), 0));
        assertEquals(new StreamId(10, -1L), StreamIds.parseStrict(b("10-18446744073709551615"), 0));
        assertEquals(new StreamId(-1L, 0), StreamIds.parseStrict(b("18446744073709551615"), 0));
        // strtoull negates modulo 2^64 what string2ll could not read (a sequence: a leading '-' splits the ID)
        assertEquals(new StreamId(2, 1), StreamIds.parseStrict(b("2--18446744073709551615"), 0));
        for (String bad : List.of("8 ", "9-", "-9", "11-18446744073709551616", "18446744073709551616", "0x10",
                "13-1-1", "1e3", "+-5", "  -14", "", "-1-0", "-18446744073709551615", "2--1", "x".repeat(128))) {
            assertThrows(CommandException.class, () -> StreamIds.parseStrict(b(bad), 0), bad);
        }
        assertEquals(StreamIds.INVALID, assertThrows(CommandException.class,
                () -> StreamIds.parseStrict(b("bad"), 0)).getMessage());
    }

    @Test
    void specialIdsDependOnTheCaller() {
        assertEquals(StreamId.MIN, StreamIds.parse(b("-"), 0));
        assertEquals(StreamId.MAX, StreamIds.parse(b("+"), 0));
        assertThrows(CommandException.class, () -> StreamIds.parseStrict(b("-"), 0));
        assertThrows(CommandException.class, () -> StreamIds.parseStrict(b("+"), 0));
        assertNull(StreamIds.tryParseStrict(b("JUSTID")));
        assertEquals(new StreamId(3, -1L), StreamIds.parse(b("3"), -1L));
        StreamIds.Parsed wildcard = StreamIds.parse(b("12-*"), 0, true, true);
        assertEquals(new StreamId(12, 0), wildcard.id());
        assertFalse(wildcard.seqGiven());
        assertTrue(StreamIds.parse(b("12-3"), 0, true, true).seqGiven());
        assertThrows(CommandException.class, () -> StreamIds.parseStrict(b("12-*"), 0));
    }

    @Test
    void intervalBounds() {
        assertEquals(new StreamId(3, 1), StreamIds.startBound(b("(3-0")));
        assertEquals(new StreamId(4, 0), StreamIds.startBound(b("(3-18446744073709551615")));
        assertEquals(new StreamId(7, 0), StreamIds.endBound(b("(7-1")));
        assertEquals(new StreamId(7, -1L), StreamIds.endBound(b("7")));
        assertThrows(CommandException.class, () -> StreamIds.startBound(b("(")));
        assertThrows(CommandException.class, () -> StreamIds.startBound(b("(-")));
        assertEquals("ERR invalid start ID for the interval", assertThrows(CommandException.class,
                () -> StreamIds.startBound(b("(18446744073709551615-18446744073709551615"))).getMessage());
        assertEquals("ERR invalid end ID for the interval", assertThrows(CommandException.class,
                () -> StreamIds.endBound(b("(0-0"))).getMessage());
    }

    @Test
    void raxNodesAsRedisCountsThem() {
        assertEquals(1, RaxNodes.count(List.of()));
        assertEquals(2, RaxNodes.count(List.of(new StreamId(1, 0))));
        assertEquals(6, RaxNodes.count(List.of(new StreamId(1, 0), new StreamId(2, 0))));
        assertEquals(8, RaxNodes.count(List.of(new StreamId(1, 0), new StreamId(2, 0), new StreamId(2, 1))));
        assertEquals(11, RaxNodes.count(List.of(new StreamId(1, 0), new StreamId(2, 0), new StreamId(2, 1),
                new StreamId(256, 0))));
    }
}
