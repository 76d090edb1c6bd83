package io.cascade.storage;

import io.cascade.storage.rdb.RdbValueReader;
import io.cascade.storage.rdb.RdbValueWriter;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.RZSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static io.cascade.storage.Values.b;
import static io.cascade.storage.Values.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Sorted sets in the storage layer: the compact off-heap form, which sets stay on the heap, and DEBUG
 * DIGEST-VALUE and DUMP bytes against a real redis-server holding the same sets built with ZADD.
 */
class ZSetStorageTest {
    private static final double[] SCORES = {0, -0.0, 1, -1, 1.5, 0.1, -2.25, 1e20, -1e-300, 4611686018427387904.0,
            4611686018427387904.0 * 2, 9007199254740993.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, 123456789012.0, 3.141592653589793};

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass(null);

    private static RZSet zset(List<String> members, double[] scores) {
        RZSet z = RZSet.createFor(b(members.get(0)));
        for (int i = 0; i < members.size(); i++) {
            z.add(b(members.get(i)), scores[i % scores.length]);
        }
        return z;
    }

    private static List<String> members(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void compactFormRoundTrips() {
        RZSet z = zset(members("m", SCORES.length), SCORES);
        z.add(b("12345"), 7); // an integer member
        z.add(new byte[0], 7);
        assertEquals(describe(z), describe(ValueCodec.decode(ValueCodec.encode(z))));
        assertEquals("listpack", ((RZSet) ValueCodec.decode(ValueCodec.encode(z))).encoding());
        // a listpack loaded with -0 keeps it through the compact form
        RZSet loaded = new RZSet();
        loaded.addLoaded(b("a"), -0.0);
        assertEquals(describe(loaded), describe(ValueCodec.decode(ValueCodec.encode(loaded))));
        Random r = new Random(3);
        double[] random = new double[100];
        for (int i = 0; i < random.length; i++) {
            random[i] = r.nextBoolean() ? r.nextInt(1 << 20) - (1 << 19) : r.nextGaussian() * 1e6;
        }
        RZSet many = zset(members("r", 100), random);
        assertEquals(describe(many), describe(ValueCodec.decode(ValueCodec.encode(many))));
    }

    @Test
    void offHeapStoreKeepsListpacksCompactAndSkiplistsOnTheHeap() {
        RZSet small = zset(members("s", 10), SCORES);
        RZSet large = zset(members("l", 200), SCORES);
        assertEquals("skiplist", large.encoding());
        assertNull(OffHeapStore.compactForm(large));
        try (OffHeapStore store = new OffHeapStore("zset-test", 0)) {
            store.put(b("small"), small);
            store.put(b("large"), large);
            assertEquals(describe(small), describe(store.get(b("small"))));
            assertSame(large, store.get(b("large")));
            assertEquals(2, store.size());
        }
        int before = EncodingLimits.zsetMaxListpackEntries;
        try {
            EncodingLimits.zsetMaxListpackEntries = 5; // lowered by CONFIG SET: the listpack stays one, on the heap
            assertNull(OffHeapStore.compactForm(small));
        } finally {
            EncodingLimits.zsetMaxListpackEntries = before;
        }
    }

    /** Builds the same set on redis-server with ZADD, then compares DIGEST-VALUE and DUMP, and RESTOREs back. */
    private void sameAsRedis(String key, List<String> members, double[] scores) throws IOException {
        Assumptions.assumeTrue(redis.available(), "redis-server is not on PATH");
        redis.call("DEL", key);
        RZSet z = zset(members, scores);
        for (int i = 0; i < members.size(); i++) {
            double d = scores[i % scores.length];
            String text = Double.isInfinite(d) ? (d > 0 ? "+inf" : "-inf") : Double.toString(d);
            redis.call("ZADD", key, text, members.get(i));
        }
        assertEquals(z.encoding(), redis.call("OBJECT", "ENCODING", key), "encoding of " + key);
        Databases dbs = new Databases(1);
        dbs.db(0).set(b(key), z);
        Object digest = redis.call("DEBUG", "DIGEST-VALUE", key);
        assertEquals(((List<?>) digest).get(0), Digest.value(dbs.db(0), b(key)), "digest of " + key);
        byte[] dump = b((String) redis.call("DUMP", key)); // bulk replies come back as ISO-8859-1 text
        assertEquals(HexFormat.of().formatHex(dump), HexFormat.of().formatHex(RdbValueWriter.dump(z, true)),
                "DUMP of " + key);
        assertEquals(describe(z), describe(RdbValueReader.restore(dump)));
    }

    @Test
    void listpackSetsMatchRedis() throws IOException {
        sameAsRedis("lp", members("m", SCORES.length), SCORES);
        sameAsRedis("ints", List.of("1", "-5", "100000", "9223372036854775807", "007", "x"), new double[] {3, 3, 3, 2});
        sameAsRedis("tie", List.of("b", "a", "c", "aa"), new double[] {1});
    }

    @Test
    void skiplistSetsMatchRedis() throws IOException {
        sameAsRedis("big", members("member:", 300), SCORES);
        sameAsRedis("long", List.of("short", "x".repeat(65), "y".repeat(200)), new double[] {-0.0, 2.5, 0});
    }
}
