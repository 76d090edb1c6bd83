package io.cascade.storage;

import io.cascade.storage.rdb.RdbValueReader;
import io.cascade.storage.rdb.RdbValueWriter;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RStream against a real redis-server: the same XADD / XDEL / XTRIM sequences are run on Redis and on an
 * RStream, then DUMP bytes (the node listpacks and all the metadata), DEBUG DIGEST-VALUE and XRANGE /
 * XREVRANGE must agree; Redis's DUMP of streams with consumer groups must load and write back byte for byte.
 * Skipped when redis-server is not on PATH. Test thread.
 */
class StreamRedisTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass("redis-server is not on PATH: stream comparison skipped");
    private Databases dbs;
    private RStream stream;

    @BeforeEach
    void fresh() throws IOException {
        redis.call("FLUSHALL");
        dbs = new Databases(1);
        stream = new RStream();
        dbs.db(0).set(b("s"), stream);
        nodeLimits(4096, 100);
    }

    @AfterEach
    void defaults() throws IOException {
        nodeLimits(4096, 100);
    }

    private static void nodeLimits(long bytes, long entries) throws IOException {
        redis.call("CONFIG", "SET", "stream-node-max-bytes", Long.toString(bytes), "stream-node-max-entries",
                Long.toString(entries));
        EncodingLimits.streamNodeMaxBytes = bytes;
        EncodingLimits.streamNodeMaxEntries = entries;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void xadd(StreamId id, String... fv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("XADD", "s", id.toString()));
        cmd.addAll(List.of(fv));
        assertEquals(id.toString(), redis.call(cmd.toArray(new String[0])));
        byte[][] argv = new byte[fv.length][];
        for (int i = 0; i < fv.length; i++) {
            argv[i] = b(fv[i]);
        }
        assertEquals(id, stream.append(argv, id, true, 0));
    }

    private void xdel(StreamId... ids) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("XDEL", "s"));
        for (StreamId id : ids) {
            cmd.add(id.toString());
        }
        Object n = redis.call(cmd.toArray(new String[0]));
        assertEquals(n, (long) stream.deleteEntries(List.of(ids)));
    }

    private void xtrimMaxlen(long maxlen, boolean approx) throws IOException {
        Object n = redis.call("XTRIM", "s", "MAXLEN", approx ? "~" : "=", Long.toString(maxlen));
        long limit = approx ? RStream.defaultApproxLimit() : 0;
        assertEquals(n, stream.trimByLength(maxlen, approx, limit));
    }

    private void xtrimMinid(StreamId minid, boolean approx) throws IOException {
        Object n = redis.call("XTRIM", "s", "MINID", approx ? "~" : "=", minid.toString());
        long limit = approx ? RStream.defaultApproxLimit() : 0;
        assertEquals(n, stream.trimByMinId(minid, approx, limit));
    }

    private void assertSame() throws IOException {
        String dump = (String) redis.call("DUMP", "s");
        assertEquals(HexFormat.of().formatHex(b(dump)), HexFormat.of().formatHex(RdbValueWriter.dump(stream, true)),
                "DUMP bytes");
        Object d = redis.call("DEBUG", "DIGEST-VALUE", "s");
        assertEquals(((List<?>) d).get(0), Digest.value(dbs.db(0), b("s")), "DIGEST-VALUE");
        assertEquals(redis.call("XRANGE", "s", "-", "+"), range(null, null, false));
        assertEquals(redis.call("XREVRANGE", "s", "+", "-"), range(null, null, true));
    }

    /** The entries from our iterator in XRANGE's reply shape. */
    private List<Object> range(StreamId start, StreamId end, boolean rev) {
        List<Object> out = new ArrayList<>();
        StreamIterator it = stream.iterator(start, end, rev);
        while (it.next()) {
            List<Object> pairs = new ArrayList<>();
            for (int i = 0; i < it.numFields(); i++) {
                pairs.add(new String(it.field(i), StandardCharsets.ISO_8859_1));
                pairs.add(new String(it.value(i), StandardCharsets.ISO_8859_1));
            }
            out.add(List.of(it.id().toString(), pairs));
        }
        return out;
    }

    @Test
    void sameAndDifferentFieldsAcrossNodes() throws Exception {
        for (int i = 1; i <= 250; i++) {
            if (i % 7 == 0) {
                xadd(new StreamId(1000 + i, i), "other", "x" + i, "f2", Integer.toString(-i * 1000));
            } else {
                xadd(new StreamId(1000 + i, 0), "name", "v" + i, "n", Integer.toString(i * 37));
            }
        }
        assertSame();
        assertEquals(3, stream.nodeCount()); // 100 entries a node
    }

    @Test
    void bigValuesCloseNodesByBytes() throws Exception {
        nodeLimits(300, 0);
        for (int i = 1; i <= 40; i++) {
            xadd(new StreamId(5, i), "payload", "p".repeat(10 * i), "123", "-9223372036854775808");
        }
        assertSame();
        assertTrue(stream.nodeCount() > 10);
    }

    @Test
    void deletionsLeaveTombstonesAndDropEmptiedNodes() throws Exception {
        nodeLimits(4096, 10);
        for (int i = 0; i < 60; i++) {
            xadd(new StreamId(1, i + 1), "a", Integer.toString(i));
        }
        xdel(new StreamId(1, 1), new StreamId(1, 25), new StreamId(1, 26), new StreamId(9, 9));
        assertSame();
        for (int i = 31; i <= 40; i++) {
            xdel(new StreamId(1, i)); // a whole node goes
        }
        assertSame();
        xdel(new StreamId(1, 60)); // the last entry: last_id stays
        assertSame();
        xadd(new StreamId(2, 0), "a", "b");
        assertSame();
    }

    @Test
    void emptiedStreamStaysAKey() throws Exception {
        xadd(new StreamId(1, 1), "a", "1");
        xadd(new StreamId(1, 2), "a", "2");
        xdel(new StreamId(1, 1), new StreamId(1, 2));
        assertEquals(0, stream.nodeCount());
        dbs.db(0).update(b("s"), stream);
        assertTrue(dbs.db(0).peek(b("s")) != null);
        assertSame();
    }

    @Test
    void trimming() throws Exception {
        nodeLimits(4096, 8);
        for (int i = 1; i <= 100; i++) {
            xadd(new StreamId(i, 0), "f", "v" + i);
        }
        xtrimMaxlen(90, true); // one whole node
        assertSame();
        xtrimMaxlen(85, false); // inside a node
        assertSame();
        xtrimMinid(new StreamId(40, 0), true);
        assertSame();
        xdel(new StreamId(45, 0));
        xtrimMinid(new StreamId(47, 0), false);
        assertSame();
        xtrimMaxlen(0, false);
        assertSame();
    }

    @Test
    void unsignedIdsAndDeltas() throws Exception {
        xadd(new StreamId(0, 1), "a", "1");
        xadd(new StreamId(0, -2L), "a", "2"); // seq 2^64-2
        xadd(new StreamId(1, 0), "a", "3"); // seq delta negative as a signed number
        xadd(new StreamId(Long.MAX_VALUE, 5), "a", "4");
        xadd(new StreamId(-1L, -2L), "a", "5");
        assertSame();
        assertEquals(redis.call("XRANGE", "s", "0-100", "18446744073709551615-0"),
                range(new StreamId(0, 100), new StreamId(-1L, 0), false));
    }

    @Test
    void countersThatOutgrowOneByte() throws Exception {
        nodeLimits(1 << 20, 300); // counts past 127 take two bytes: the master entry grows in place
        for (int i = 1; i <= 250; i++) {
            xadd(new StreamId(i, 0), "f", Integer.toString(i));
        }
        String[] many = new String[140]; // 70 fields: the lp-count needs more than 7 bits
        for (int i = 0; i < many.length; i++) {
            many[i] = "k" + i;
        }
        xadd(new StreamId(251, 0), many);
        List<StreamId> dels = new ArrayList<>();
        for (int i = 2; i <= 200; i += 2) {
            dels.add(new StreamId(i, 0));
        }
        xdel(dels.toArray(new StreamId[0]));
        assertSame();
        xtrimMaxlen(20, false);
        assertSame();
    }

    @Test
    void moreElementsThanTheListpackHeaderCounts() throws Exception {
        nodeLimits(0, 0); // one node: 14000 entries of 5 elements each, past the header's 65535
        for (int i = 1; i <= 14000; i++) {
            xadd(new StreamId(i, 0), "f", "v");
        }
        assertEquals(1, stream.nodeCount());
        assertSame();
    }

    @Test
    void randomAgainstRedis() throws Exception {
        Random r = new Random(7);
        String[] names = {"a", "b", "10", "-3", "temperature"};
        for (int round = 0; round < 3; round++) {
            redis.call("DEL", "s");
            stream = new RStream();
            dbs.db(0).set(b("s"), stream);
            nodeLimits(new long[] {0, 200, 4096}[round], new long[] {5, 0, 17}[round]);
            List<StreamId> ids = new ArrayList<>();
            long ms = 1;
            for (int step = 0; step < 400; step++) {
                int op = r.nextInt(10);
                if (op < 7 || ids.isEmpty()) {
                    ms += r.nextInt(3);
                    StreamId id = new StreamId(ms, stream.lastId().ms() == ms ? stream.lastId().seq() + 1 : r.nextInt(2));
                    int n = 1 + r.nextInt(3);
                    String[] fv = new String[2 * n];
                    for (int i = 0; i < n; i++) {
                        fv[2 * i] = r.nextInt(4) == 0 ? names[r.nextInt(names.length)] : names[i];
                        fv[2 * i + 1] = r.nextBoolean() ? Integer.toString(r.nextInt(100000) - 50000) : "v".repeat(r.nextInt(70));
                    }
                    xadd(id, fv);
                    ids.add(id);
                } else if (op < 9) {
                    xdel(ids.get(r.nextInt(ids.size())), ids.get(r.nextInt(ids.size())));
                } else if (r.nextBoolean()) {
                    xtrimMaxlen(r.nextInt(Math.max(1, (int) stream.length() + 5)), r.nextBoolean());
                } else {
                    xtrimMinid(ids.get(r.nextInt(ids.size())), r.nextBoolean());
                }
                if (step % 40 == 0) {
                    assertSame();
                    StreamId a = ids.get(r.nextInt(ids.size()));
                    StreamId z = ids.get(r.nextInt(ids.size()));
                    assertEquals(redis.call("XRANGE", "s", a.toString(), z.toString()), range(a, z, false));
                    assertEquals(redis.call("XREVRANGE", "s", z.toString(), a.toString()), range(a, z, true));
                }
            }
            assertSame();
        }
    }

    @Test
    void redisDumpWithGroupsRoundTrips() throws Exception {
        nodeLimits(4096, 10);
        for (int i = 1; i <= 35; i++) {
            redis.call("XADD", "s", i + "-1", "f", "v" + i, "g", Integer.toString(i));
        }
        redis.call("XDEL", "s", "3-1", "20-1");
        redis.call("XGROUP", "CREATE", "s", "g1", "0");
        redis.call("XGROUP", "CREATE", "s", "12345", "$"); // an integer-like name is written int-encoded
        redis.call("XGROUP", "CREATE", "s", "late", "10-1", "ENTRIESREAD", "3");
        redis.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "7", "STREAMS", "s", ">");
        redis.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "4", "STREAMS", "s", ">");
        redis.call("XCLAIM", "s", "g1", "carol", "0", "2-1", "5-1", "RETRYCOUNT", "9");
        redis.call("XACK", "s", "g1", "4-1");
        redis.call("XGROUP", "CREATECONSUMER", "s", "late", "idle");
        redis.call("XGROUP", "SETID", "s", "late", "30-1"); // entries_read becomes unknown (-1)
        byte[] dump = b((String) redis.call("DUMP", "s"));
        RStream loaded = (RStream) RdbValueReader.restore(dump);
        assertArrayEquals(dump, RdbValueWriter.dump(loaded, true));
        assertArrayEquals(dump, RdbValueWriter.dump(loaded.duplicate(), true));
        assertEquals(3, loaded.groups().size());
        assertEquals(-1, loaded.group(b("late")).entriesRead());
        assertEquals(3, loaded.group(b("g1")).consumers().size());
        assertEquals(2, loaded.group(b("g1")).consumer(b("carol")).pel().size());
        assertEquals(9, loaded.group(b("g1")).pel().get(new StreamId(5, 1)).deliveryCount());
        // and back into Redis: the same value
        redis.call(b("RESTORE"), b("t"), b("0"), RdbValueWriter.dump(loaded, true));
        assertEquals(redis.call("XINFO", "STREAM", "s", "FULL"), redis.call("XINFO", "STREAM", "t", "FULL"));
    }
}
