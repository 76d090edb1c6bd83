package io.cascade.storage.types;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RStream's API without a server: IDs, node layout, iteration, deletion, trimming, groups. Test thread. */
class RStreamTest {
    @AfterEach
    void defaults() {
        EncodingLimits.streamNodeMaxBytes = 4096;
        EncodingLimits.streamNodeMaxEntries = 100;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[][] fv(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = b(s[i]);
        }
        return out;
    }

    private static StreamId id(long ms, long seq) {
        return new StreamId(ms, seq);
    }

    private static RStream stream(int n) throws Exception {
        RStream s = new RStream();
        for (int i = 1; i <= n; i++) {
            s.append(fv("f", Integer.toString(i)), id(i, 0), true, 0);
        }
        return s;
    }

    private static List<String> ids(StreamIterator it) {
        List<String> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.id().toString());
        }
        return out;
    }

    @Test
    void firstEntryBytesAreRedisBytes() throws Exception {
        RStream s = new RStream();
        s.append(fv("f", "v"), id(1, 1), true, 0);
        // captured from redis-server 7.0.15: XADD s 1-1 f v, the node in DUMP s
        assertEquals("1d0000000a0001010001010181660200010201000100018176020401ff",
                HexFormat.of().formatHex(s.nodes().get(id(1, 1))));
        assertEquals(1, s.length());
        assertEquals(id(1, 1), s.firstId());
        assertEquals(id(1, 1), s.lastId());
        assertEquals(1, s.entriesAdded());
        assertEquals("stream", s.encoding());
    }

    @Test
    void idsAreGeneratedAndChecked() throws Exception {
        RStream s = new RStream();
        assertEquals(id(1000, 0), s.append(fv("a", "1"), null, false, 1000));
        assertEquals(id(1000, 1), s.append(fv("a", "1"), null, false, 999)); // clock behind: seq goes on
        assertEquals(id(1000, 2), s.append(fv("a", "1"), id(1000, 0), false, 0)); // "1000-*"
        assertEquals(id(2000, 0), s.append(fv("a", "1"), id(2000, 0), false, 0)); // "2000-*"
        RStream.AppendException e = assertThrows(RStream.AppendException.class,
                () -> s.append(fv("a", "1"), id(2000, 0), true, 0));
        assertEquals(RStream.AppendError.ID_NOT_GREATER, e.reason);
        s.append(fv("a", "1"), id(3000, -1L), true, 0);
        e = assertThrows(RStream.AppendException.class, () -> s.append(fv("a", "1"), id(3000, 0), false, 0));
        assertEquals(RStream.AppendError.SEQUENCE_EXHAUSTED, e.reason);
        s.append(fv("a", "1"), StreamId.MAX, true, 0);
        e = assertThrows(RStream.AppendException.class, () -> s.append(fv("a", "1"), null, false, 5));
        assertEquals(RStream.AppendError.ID_NOT_GREATER, e.reason); // the successor of the maximum wraps
        assertEquals(6, s.length());
        assertEquals("18446744073709551615-18446744073709551615", s.lastId().toString());
    }

    @Test
    void nodesCloseAtTheLimits() throws Exception {
        EncodingLimits.streamNodeMaxEntries = 3;
        RStream s = stream(10);
        assertEquals(4, s.nodeCount());
        assertEquals(List.of(id(1, 0), id(4, 0), id(7, 0), id(10, 0)), new ArrayList<>(s.nodes().keySet()));
        s.deleteItem(id(11, 0));
        s.deleteItem(id(10, 0)); // the last node goes with its only entry
        assertEquals(3, s.nodeCount());
        s.append(fv("f", "x"), id(12, 0), true, 0);
        assertEquals(4, s.nodeCount());
        EncodingLimits.streamNodeMaxEntries = 0;
        EncodingLimits.streamNodeMaxBytes = 60;
        RStream t = new RStream();
        for (int i = 1; i <= 6; i++) {
            t.append(fv("field", "0123456789"), id(i, 0), true, 0);
        }
        assertTrue(t.nodeCount() > 1);
        for (byte[] lp : t.nodes().values()) {
            assertTrue(lp.length < 60 + 20, "node of " + lp.length + " bytes");
        }
    }

    @Test
    void iterationBothWaysWithBounds() throws Exception {
        EncodingLimits.streamNodeMaxEntries = 4;
        RStream s = new RStream();
        for (int i = 1; i <= 12; i++) {
            // alternating field sets: the master's, then others
            s.append(i % 2 == 0 ? fv("f", "v" + i) : fv("x", "1", "y", "2"), id(i, i), true, 0);
        }
        assertEquals(12, ids(s.iterator(null, null, false)).size());
        assertEquals(List.of("3-3", "4-4", "5-5", "6-6", "7-7"), ids(s.iterator(id(3, 0), id(7, 7), false)));
        assertEquals(List.of("7-7", "6-6", "5-5", "4-4", "3-3"), ids(s.iterator(id(3, 0), id(7, 7), true)));
        assertEquals(List.of(), ids(s.iterator(id(13, 0), null, false)));
        assertEquals(List.of("12-12"), ids(s.iterator(id(12, 12), null, true)));
        StreamIterator it = s.iterator(id(3, 3), id(4, 4), false);
        assertTrue(it.next());
        assertEquals(2, it.numFields());
        assertEquals("y", new String(it.field(1), StandardCharsets.ISO_8859_1));
        assertEquals("2", new String(it.value(1), StandardCharsets.ISO_8859_1));
        assertTrue(it.next());
        assertEquals(1, it.numFields());
        assertEquals("v4", new String(it.value(0), StandardCharsets.ISO_8859_1));
        assertFalse(it.next());
    }

    @Test
    void deletionLeavesTombstones() throws Exception {
        RStream s = stream(6);
        assertEquals(2, s.deleteEntries(List.of(id(1, 0), id(4, 0), id(4, 0), id(9, 9))));
        assertEquals(4, s.length());
        assertEquals(id(2, 0), s.firstId());
        assertEquals(id(4, 0), s.maxDeletedEntryId());
        assertEquals(List.of("2-0", "3-0", "5-0", "6-0"), ids(s.iterator(null, null, false)));
        StreamIterator all = s.iterator(null, null, false).includeTombstones();
        List<Integer> flags = new ArrayList<>();
        while (all.next()) {
            flags.add(all.flags());
        }
        assertEquals(List.of(3, 2, 2, 3, 2, 2), flags); // SAMEFIELDS, plus DELETED on the two tombstones
        assertEquals(id(1, 0), s.edgeId(true, false));
        assertEquals(id(2, 0), s.edgeId(true, true));
        assertFalse(s.entryExists(id(4, 0)));
        assertTrue(s.entryExists(id(5, 0)));
        assertTrue(s.rangeHasTombstones(null, null));
        assertFalse(s.rangeHasTombstones(id(5, 0), null));
        s.deleteEntries(List.of(id(6, 0)));
        assertEquals(id(5, 0), s.lastValidId());
        assertEquals(id(6, 0), s.lastId());
    }

    @Test
    void removingWhileIterating() throws Exception {
        EncodingLimits.streamNodeMaxEntries = 3;
        RStream s = stream(9);
        StreamIterator it = s.iterator(id(2, 0), id(8, 0), false);
        while (it.next()) {
            if (it.id().ms() % 2 == 0) {
                it.removeEntry();
            }
        }
        assertEquals(List.of("1-0", "3-0", "5-0", "7-0", "9-0"), ids(s.iterator(null, null, false)));
        it = s.iterator(null, null, true);
        while (it.next()) {
            if (it.id().ms() > 4) {
                it.removeEntry();
            }
        }
        assertEquals(List.of("3-0", "1-0"), ids(s.iterator(null, null, true)));
        assertEquals(2, s.length());
        assertEquals(1, s.nodeCount()); // nodes of only tombstones went
        assertEquals(StreamId.MAX, new RStream().edgeId(true, true));
        assertEquals(StreamId.MIN, new RStream().edgeId(false, true));
    }

    @Test
    void trimming() throws Exception {
        EncodingLimits.streamNodeMaxEntries = 10;
        RStream s = stream(50);
        assertEquals(0, s.trimByLength(45, true, RStream.defaultApproxLimit())); // no whole node fits
        assertEquals(10, s.trimByLength(35, true, RStream.defaultApproxLimit()));
        assertEquals(id(11, 0), s.firstId());
        assertEquals(5, s.trimByLength(35, false, 0));
        assertEquals(id(16, 0), s.firstId());
        assertEquals(0, s.trimByLength(100, false, 0));
        assertEquals(4, s.trimByMinId(id(20, 0), false, 0));
        assertEquals(11, s.trimByMinId(id(35, 0), true, 0)); // the rest of 11..20 (20) and 21..30, as whole nodes
        assertEquals(0, s.trimByLength(0, true, 5)); // a node of 10 is over the limit
        assertEquals(20, s.trimByLength(0, false, 0));
        assertEquals(0, s.length());
        assertEquals(StreamId.MIN, s.firstId());
        assertEquals(id(50, 0), s.lastId());
        assertEquals(50, s.entriesAdded());
    }

    @Test
    void entriesReadEstimates() throws Exception {
        RStream s = new RStream();
        assertEquals(0, s.estimateDistanceFromFirstEverEntry(id(5, 0)));
        s = stream(10);
        assertEquals(10, s.estimateDistanceFromFirstEverEntry(id(10, 0)));
        assertEquals(StreamGroup.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(id(11, 0)));
        assertEquals(1, s.estimateDistanceFromFirstEverEntry(id(1, 0)));
        assertEquals(0, s.estimateDistanceFromFirstEverEntry(id(0, 5)));
        assertEquals(StreamGroup.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(id(5, 0)));
        s.deleteEntries(List.of(id(1, 0)));
        assertEquals(1, s.estimateDistanceFromFirstEverEntry(id(1, 5))); // before the first: no fragmentation
        s.deleteEntries(List.of(id(5, 0)));
        assertEquals(StreamGroup.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(id(1, 5)));
    }

    @Test
    void groupsKeepTheirPelsInStep() throws Exception {
        RStream s = stream(5);
        StreamGroup g = s.createGroup(b("g"), StreamId.MIN, 0);
        assertNull(s.createGroup(b("g"), id(1, 0), 0));
        s.createGroup(b("a"), id(1, 0), 1);
        assertEquals(List.of("a", "g"), s.groups().keySet().stream().map(Bytes::toString).toList());
        StreamConsumer alice = g.createConsumer(b("alice"), 100);
        StreamConsumer bob = g.createConsumer(b("bob"), 200);
        assertNull(g.createConsumer(b("bob"), 300));
        for (int i = 1; i <= 3; i++) {
            g.deliver(id(i, 0), alice, 1000 + i);
        }
        StreamNack n2 = g.deliver(id(2, 0), bob, 2000); // delivered again: moves to bob, count back to 1
        assertSame(bob, n2.consumer());
        assertEquals(1, n2.deliveryCount());
        assertEquals(2000, n2.deliveryTime());
        assertEquals(List.of(id(1, 0), id(3, 0)), new ArrayList<>(alice.pel().keySet()));
        assertEquals(List.of(id(2, 0)), new ArrayList<>(bob.pel().keySet()));
        g.assign(id(3, 0), g.pel().get(id(3, 0)), bob);
        assertEquals(2, bob.pel().size());
        assertTrue(g.ack(id(1, 0)));
        assertFalse(g.ack(id(1, 0)));
        assertTrue(alice.pel().isEmpty());
        assertNull(g.addPending(id(2, 0), alice, 5, 5));
        assertNotNull(g.addPending(id(4, 0), alice, 5, 7));
        RStream copy = s.duplicate();
        assertEquals(2, g.deleteConsumer(bob));
        assertEquals(List.of(id(4, 0)), new ArrayList<>(g.pel().keySet()));
        StreamGroup cg = copy.group(b("g"));
        assertEquals(3, cg.pel().size());
        assertEquals(2, cg.consumer(b("bob")).pel().size());
        assertSame(cg.consumer(b("bob")), cg.pel().get(id(2, 0)).consumer());
        assertEquals(7, cg.pel().get(id(4, 0)).deliveryCount());
        assertTrue(s.destroyGroup(b("a")));
        assertFalse(s.destroyGroup(b("a")));
        assertEquals(2, copy.groups().size());
    }

    @Test
    void duplicateIsIndependent() throws Exception {
        RStream s = stream(3);
        RStream c = s.duplicate();
        c.append(fv("f", "4"), id(4, 0), true, 0);
        c.deleteEntries(List.of(id(1, 0)));
        assertEquals(3, s.length());
        assertEquals(List.of("1-0", "2-0", "3-0"), ids(s.iterator(null, null, false)));
        assertEquals(List.of("2-0", "3-0", "4-0"), ids(c.iterator(null, null, false)));
    }

    @Test
    void idOrderAndText() {
        assertTrue(id(-1L, 0).compareTo(id(1, 0)) > 0);
        assertTrue(id(1, -1L).compareTo(id(2, 0)) < 0);
        assertEquals(id(2, 0), id(1, -1L).incr());
        assertEquals(id(1, -1L), id(2, 0).decr());
        assertNull(StreamId.MAX.incr());
        assertNull(StreamId.MIN.decr());
        assertEquals(id(-1L, 5), StreamId.decode(id(-1L, 5).encode(), 0));
        assertEquals("18446744073709551615-5", id(-1L, 5).toString());
    }
}
