package io.cascade.storage.rdb;

import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Streams in the RDB format: round trips, the 6.x and 7.2 forms, and the node checks on load. Test thread. */
class StreamRdbTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static RStream sample() throws Exception {
        RStream s = new RStream();
        for (int i = 1; i <= 130; i++) {
            s.append(new byte[][] {b("f"), b("v" + i), b("n"), b(Integer.toString(i))}, new StreamId(i, 0), true, 0);
        }
        s.deleteEntries(List.of(new StreamId(3, 0), new StreamId(101, 0)));
        StreamGroup g = s.createGroup(b("group"), new StreamId(10, 0), 10);
        StreamConsumer c = g.createConsumer(b("12"), 1_700_000_000_000L);
        g.deliver(new StreamId(5, 0), c, 1_700_000_000_500L);
        g.deliver(new StreamId(6, 0), c, 1_700_000_000_600L);
        s.createGroup(b("unknown"), new StreamId(50, 0), StreamGroup.INVALID_ENTRIES_READ);
        return s;
    }

    @Test
    void roundTripKeepsEveryByte() throws Exception {
        RStream s = sample();
        for (boolean compression : new boolean[] {true, false}) {
            byte[] dump = RdbValueWriter.dump(s, compression);
            assertEquals(true, RdbValueReader.verifyDumpPayload(dump));
            RStream back = (RStream) RdbValueReader.restore(dump);
            assertArrayEquals(dump, RdbValueWriter.dump(back, compression));
            assertEquals(StreamGroup.INVALID_ENTRIES_READ, back.group(b("unknown")).entriesRead());
            assertEquals(1_700_000_000_600L, back.group(b("group")).pel().get(new StreamId(6, 0)).deliveryTime());
            assertEquals(RdbValueWriter.serializedLength(s, compression) + 11, dump.length); // type + footer
        }
    }

    /** The 6.x / 7.2 forms of sample(), written by hand from its parts. */
    private static byte[] otherForm(RStream s, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbValueWriter w = new RdbValueWriter(out, false);
        out.write(type);
        w.writeLen(s.nodeCount());
        s.nodes().forEach((k, lp) -> {
            w.writeString(k.encode());
            w.writeString(lp);
        });
        w.writeLen(s.length());
        w.writeLen(s.lastId().ms());
        w.writeLen(s.lastId().seq());
        if (type == RdbType.STREAM_LISTPACKS_3) {
            w.writeLen(s.firstId().ms());
            w.writeLen(s.firstId().seq());
            w.writeLen(s.maxDeletedEntryId().ms());
            w.writeLen(s.maxDeletedEntryId().seq());
            w.writeLen(s.entriesAdded());
        }
        w.writeLen(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            w.writeString(g.name());
            w.writeLen(g.lastId().ms());
            w.writeLen(g.lastId().seq());
            if (type == RdbType.STREAM_LISTPACKS_3) {
                w.writeLen(g.entriesRead());
            }
            w.writeLen(g.pel().size());
            g.pel().forEach((id, n) -> {
                w.writeRaw(id.encode());
                w.writeMillis(n.deliveryTime());
                w.writeLen(n.deliveryCount());
            });
            w.writeLen(g.consumers().size());
            for (StreamConsumer c : g.consumers().values()) {
                w.writeString(c.name());
                w.writeMillis(c.seenTime());
                if (type == RdbType.STREAM_LISTPACKS_3) {
                    w.writeMillis(c.seenTime() + 7); // active time
                }
                w.writeLen(c.pel().size());
                c.pel().keySet().forEach(id -> w.writeRaw(id.encode()));
            }
        }
        return out.toByteArray();
    }

    private static RStream read(byte[] body) {
        RdbValueReader r = new RdbValueReader(body, 0, body.length);
        return (RStream) r.readObject(r.readByte()); // readObjectType would refuse 7.2's type, as 7.0 does
    }

    @Test
    void olderAndNewerForms() throws Exception {
        RStream s = sample();
        RStream v3 = read(otherForm(s, RdbType.STREAM_LISTPACKS_3));
        assertArrayEquals(RdbValueWriter.dump(s, true), RdbValueWriter.dump(v3, true));
        RStream v1 = read(otherForm(s, RdbType.STREAM_LISTPACKS));
        assertEquals(s.length(), v1.entriesAdded()); // 6.x: what is there is all that was ever added
        assertEquals(new StreamId(1, 0), v1.firstId());
        assertEquals(StreamId.MIN, v1.maxDeletedEntryId());
        // entries_read as streamEstimateDistanceFromFirstEverEntry gives it: 10-0 lies inside a stream with no
        // tombstone recorded, so it is unknown
        assertEquals(StreamGroup.INVALID_ENTRIES_READ, v1.group(b("group")).entriesRead());
        RStream empty = new RStream();
        empty.createGroup(b("g"), StreamId.MIN, 0);
        RStream e1 = read(otherForm(empty, RdbType.STREAM_LISTPACKS));
        assertEquals(StreamId.MAX, e1.firstId()); // streamGetEdgeID of nothing, as 7.0 loads it
        assertEquals(0, e1.group(b("g")).entriesRead());
    }

    private static byte[] node(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void nodeChecks() {
        // XADD 1-1 f v as Redis lays it out, then broken copies of it
        String good = "1d000000 0a00 0101 0001 0101 816602 0001 0201 0001 0001 817602 0401 ff";
        assertDoesNotThrow(() -> StreamRdb.validateNode(node(good)));
        String[] bad = {
            "1d000000 0a00 0101 0001 0101 816602 0001 0201 0001 0001 817602 0501 ff", // lp-count 5
            "1d000000 0a00 0101 0001 0101 816602 0101 0201 0001 0001 817602 0401 ff", // master terminator 1
            "1e000000 0a00 0101 0001 0101 816602 0001 816702 0001 0001 817602 0401 ff", // flags not a number
            "1f000000 0b00 0101 0001 0101 816602 0001 0201 0001 0001 817602 0401 0001 ff", // an element too many
            "1d000000 0a00 0201 0001 0101 816602 0001 0201 0001 0001 817602 0401 ff", // count says 2 entries
            "1d000000 0a00 0101 0001 0101 816603 0001 0201 0001 0001 817602 0401 ff", // back-length wrong
            "1c000000 0a00 0101 0001 0101 816602 0001 0201 0001 0001 817602 0401 ff", // total bytes wrong
            "1d000000 0a00 0101 0001 0101 816602 0001 0201 0001 0001 81760204 01 fe", // no terminator
            "07000000 0000 ff", // empty
        };
        for (String h : bad) {
            assertThrows(RdbFormatException.class, () -> StreamRdb.validateNode(node(h)), h);
        }
    }

    @Test
    void unsignedLengths() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbValueWriter w = new RdbValueWriter(out, false);
        w.writeLen(-1L);
        w.writeLen(Long.MIN_VALUE);
        w.writeLen(0xffffffffL);
        byte[] bytes = out.toByteArray();
        assertEquals("81ffffffffffffffff" + "818000000000000000" + "80ffffffff", HexFormat.of().formatHex(bytes));
        RdbValueReader r = new RdbValueReader(bytes, 0, bytes.length);
        assertEquals(-1L, r.readLenUnsigned());
        assertEquals(Long.MIN_VALUE, r.readLenUnsigned());
        assertEquals(0xffffffffL, r.readLenUnsigned());
    }
}
