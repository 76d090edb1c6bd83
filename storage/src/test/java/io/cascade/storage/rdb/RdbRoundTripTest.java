package io.cascade.storage.rdb;

import io.cascade.storage.Databases;
import io.cascade.storage.Digest;
import io.cascade.storage.Keyspace;
import io.cascade.storage.OffHeapStore;
import io.cascade.storage.Snapshot;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reader(writer(x)) == x for every corpus file that loads: the file is loaded into an off-heap dataset, saved
 * by Snapshot as RDB 10, and the saved bytes loaded again must give the same keys, values, expires and DEBUG
 * DIGEST; saving that second dataset gives the same bytes again. Skipped with the reason shown when the corpus
 * is not at ../shared. Test thread.
 */
class RdbRoundTripTest {
    @TestFactory
    Stream<DynamicTest> everyLoadableCorpusFile() throws IOException {
        List<String> names = new ArrayList<>();
        for (String n : RdbCorpus.dataFiles()) {
            if (RdbCorpus.expectedOk(RdbCorpus.expected(n))) {
                names.add(n);
            }
        }
        assertTrue(names.size() > 100, "most of the corpus loads");
        return names.stream().map(n -> DynamicTest.dynamicTest(n, () -> roundTrip(n)));
    }

    private static Databases fresh() {
        return new Databases(16, i -> new OffHeapStore("rt" + i));
    }

    private static void roundTrip(String name) throws IOException {
        RdbCorpus.Rdb rdb = RdbCorpus.rdb(name);
        Databases first = fresh();
        RdbLoader.load(new ByteArrayInputStream(rdb.bytes()), first, new RdbLoader.Options().dropExpired(false));
        byte[] saved = save(first, true);
        assertEquals("REDIS0010", new String(saved, 0, 9, StandardCharsets.US_ASCII));

        Databases second = fresh();
        RdbLoader.Result r = RdbLoader.load(new ByteArrayInputStream(saved), second,
                new RdbLoader.Options().dropExpired(false));
        assertEquals(RdbType.RDB_VERSION, r.rdbVersion());
        assertEquals(saved.length, r.bytesConsumed(), "the reader takes the whole file, checksum included");
        long keys = 0;
        for (int d = 0; d < 16; d++) {
            Keyspace a = first.db(d);
            Keyspace b = second.db(d);
            assertEquals(a.size(), b.size(), name + " db " + d);
            assertEquals(a.expiresCount(), b.expiresCount(), name + " db " + d);
            keys += a.size();
            a.forEach((key, value) -> {
                Object back = b.peek(key);
                assertNotNull(back, name + ": " + RdbRender.bytes(key) + " lost");
                assertEquals(RdbRender.value(value, Map.of()), RdbRender.value(back, Map.of()), name);
                assertEquals(RdbRender.type(value), RdbRender.type(back), name);
                assertEquals(a.getExpire(key), b.getExpire(key), name);
            });
        }
        assertEquals(r.keysLoaded(), keys);
        assertEquals(Digest.dataset(first), Digest.dataset(second), name);
        // what Cascade writes is stable: the second dataset saves to the same bytes (but ctime-free options)
        assertEquals(HexFormat.of().formatHex(saved), HexFormat.of().formatHex(save(second, true)),
                name);
        byte[] plain = save(second, false);
        Databases third = fresh();
        RdbLoader.load(new ByteArrayInputStream(plain), third, new RdbLoader.Options().dropExpired(false));
        assertEquals(Digest.dataset(first), Digest.dataset(third), name + " without compression");
    }

    /** The dataset as an RDB file in memory, with its CRC64 trailer. */
    static byte[] save(Databases dbs, boolean compression) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Snapshot.Options o = new Snapshot.Options();
        o.compression = compression;
        o.aux.put("redis-ver", "7.0.15");
        Snapshot s = new Snapshot(dbs, o, new Snapshot.Sink() {
            @Override
            public void write(byte[] chunk) {
                out.writeBytes(chunk);
            }

            @Override
            public long backlog() {
                return 0;
            }

            @Override
            public void finish() {
                long crc = Crc64.of(out.toByteArray());
                for (int i = 0; i < 8; i++) {
                    out.write((int) (crc >>> (8 * i)));
                }
            }

            @Override
            public void abort() {
                throw new AssertionError("aborted");
            }
        });
        s.finish();
        return out.toByteArray();
    }
}
