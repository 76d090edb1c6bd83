package io.cascade.storage;

import io.cascade.storage.rdb.RdbFileSink;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.cascade.storage.Values.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshot files loaded by a real redis-server (DEBUG RELOAD NOSAVE of the file put in its dir): its DEBUG
 * DIGEST must equal Digest of the dataset as it was when the snapshot began, also when commands changed it
 * while the snapshot was being taken. Skipped with the reason shown when redis-server is not on PATH.
 * Test thread.
 */
class SnapshotRedisTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass("redis-server is not on PATH: RDB snapshot check skipped");
    private Databases dbs;
    private Path dir;

    @BeforeEach
    void fresh() throws Exception {
        dbs = new Databases(16, i -> new OffHeapStore("snap" + i, 3));
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) redis.call("CONFIG", "GET", "dir");
        dir = Path.of((String) reply.get(1));
    }

    /** Strings of every encoding, compact and large collections of each type, expires, three databases. */
    private void fill(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Keyspace db0 = dbs.db(0);
        for (int i = 0; i < 3000; i++) {
            db0.set(b("s:" + i), b(i % 3 == 0 ? Integer.toString(i - 1500) : "value-" + "x".repeat(r.nextInt(40))));
            if (i % 7 == 0) {
                db0.setExpire(b("s:" + i), 4_000_000_000_000L + i);
            }
        }
        byte[] big = new byte[70_000];
        r.nextBytes(big);
        db0.set(b("big"), big);
        RList small = new RList();
        RList large = new RList();
        for (int i = 0; i < 1000; i++) {
            large.addLast(b("item-" + i));
            if (i < 10) {
                small.addLast(b(Integer.toString(i)));
            }
        }
        db0.set(b("list:small"), small);
        db0.set(b("list:large"), large);
        Keyspace db3 = dbs.db(3);
        RHash h = new RHash();
        RHash hbig = new RHash();
        for (int i = 0; i < 600; i++) {
            hbig.put(b("f" + i), b("v" + i));
            if (i < 5) {
                h.put(b("f" + i), b(Integer.toString(i)));
            }
        }
        db3.set(b("hash:small"), h);
        db3.set(b("hash:large"), hbig);
        RSet ints = new RSet();
        RSet strs = new RSet();
        for (int i = 0; i < 300; i++) {
            ints.add(b(Integer.toString(i * 7)));
            strs.add(b("m" + i));
        }
        db3.set(b("set:ints"), ints);
        db3.set(b("set:strs"), strs);
        RZSet z = new RZSet();
        RZSet zbig = new RZSet();
        for (int i = 0; i < 200; i++) {
            zbig.add(b("z" + i), i * 1.5);
            if (i < 4) {
                z.add(b("z" + i), -i);
            }
        }
        db3.set(b("zset:small"), z);
        db3.set(b("zset:large"), zbig);
        db3.setExpire(b("zset:large"), 4_000_000_000_000L);
        dbs.db(15).set(b("last"), b("db"));
    }

    private Path save(Snapshot.Options opts, boolean checksum, Consumer<Snapshot> during)
            throws Exception {
        Path target = dir.resolve("dump.rdb");
        RdbFileSink sink = new RdbFileSink(dir.resolve("temp-test.rdb"), target, checksum);
        Snapshot s = new Snapshot(dbs, opts, sink);
        during.accept(s);
        s.finish();
        assertTrue(s.isDone());
        sink.done().get(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(dir.resolve("temp-test.rdb")), "the temporary file is renamed");
        return target;
    }

    private String redisDigestAfterReload() throws Exception {
        assertEquals("OK", redis.call("DEBUG", "RELOAD", "NOSAVE"));
        return (String) redis.call("DEBUG", "DIGEST");
    }

    @Test
    void redisLoadsTheSnapshotWithTheSameDigest() throws Exception {
        fill(1);
        String digest = Digest.dataset(dbs);
        Snapshot.Options opts = new Snapshot.Options();
        opts.aux.put("redis-ver", "7.0.15");
        opts.aux.put("repl-id", "0123456789012345678901234567890123456789");
        opts.aux.put("repl-offset", "12345");
        save(opts, true, s -> { });
        assertEquals(digest, redisDigestAfterReload());
        assertEquals(1000L, redis.call("LLEN", "list:large"));
    }

    @Test
    void withoutCompressionAndChecksum() throws Exception {
        fill(2);
        String digest = Digest.dataset(dbs);
        Snapshot.Options opts = new Snapshot.Options();
        opts.compression = false;
        Path file = save(opts, false, s -> { });
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[8], Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length),
                "rdbchecksum no: the trailer is zeros");
        assertEquals(digest, redisDigestAfterReload());
    }

    @Test
    void changesDuringTheSnapshotAreNotInIt() throws Exception {
        fill(3);
        String before = Digest.dataset(dbs);
        Snapshot.Options opts = new Snapshot.Options();
        save(opts, true, s -> {
            s.step(0); // one partition
            Keyspace db0 = dbs.db(0);
            for (int i = 0; i < 3000; i += 3) {
                db0.set(b("s:" + i), b("changed"));
                db0.delete(b("s:" + (i + 1)));
            }
            db0.set(b("new-key"), b("after"));
            // a large list is kept on the heap and changed in place, then written back
            RList l = (RList) db0.get(b("list:large"));
            l.addFirst(b("pushed"));
            db0.update(b("list:large"), l);
            byte[] live = db0.liveString(b("big"));
            live[0] ^= 1;
            db0.modifiedInPlace(b("big"));
            s.step(0);
            dbs.swap(3, 4);
            dbs.db(4).clear();
            dbs.db(15).persist(b("last"));
            dbs.db(15).setExpire(b("last"), 4_100_000_000_000L);
        });
        assertNotEquals(before, Digest.dataset(dbs), "the dataset did change");
        assertEquals(before, redisDigestAfterReload());
    }

    @Test
    void stepsInterleavedWithWritesEndWithThePointInTimeImage() throws Exception {
        fill(4);
        String before = Digest.dataset(dbs);
        save(new Snapshot.Options(), true, s -> {
            SplittableRandom r = new SplittableRandom(9);
            int steps = 0;
            while (!s.step(0)) {
                steps++;
                for (int i = 0; i < 50; i++) {
                    dbs.db(0).set(b("s:" + r.nextInt(3000)), b("w" + i));
                }
            }
            assertTrue(steps > 3, "the snapshot took several steps");
        });
        assertEquals(before, redisDigestAfterReload());
    }

    @Test
    void aWriteKeepsItsKeyNotItsWholePartition() throws Exception {
        fill(5);
        String before = Digest.dataset(dbs);
        save(new Snapshot.Options(), true, s -> {
            long saved = s.keysSaved();
            dbs.db(0).set(b("s:7"), b("changed while the snapshot runs"));
            dbs.db(0).delete(b("s:8"));
            assertEquals(saved, s.keysSaved(), "no partition was saved for the writes");
            assertTrue(s.preservedBytes() > 0, "the two keys' records are kept instead");
        });
        assertEquals(before, redisDigestAfterReload());
    }

    @Test
    void largePartitionsSavedInSlicesStayPointInTime() throws Exception {
        Keyspace db = dbs.db(2);
        for (int i = 0; i < 40_000; i++) {
            db.set(b("k:" + i), b("v" + i));
        }
        fill(6);
        String before = Digest.dataset(dbs);
        save(new Snapshot.Options(), true, s -> {
            SplittableRandom r = new SplittableRandom(11);
            int steps = 0;
            while (!s.step(0)) {
                steps++;
                for (int i = 0; i < 20; i++) {
                    int k = r.nextInt(40_000);
                    switch (r.nextInt(4)) {
                        case 0 -> db.set(b("k:" + k), b("rewritten"));
                        case 1 -> db.delete(b("k:" + k));
                        case 2 -> db.setExpire(b("k:" + k), 4_200_000_000_000L);
                        default -> db.set(b("new:" + k), b("created during the snapshot"));
                    }
                }
            }
            assertTrue(steps > 100, "40,000 keys in 8 partitions go in slices, not a partition per step: " + steps);
        });
        assertEquals(before, redisDigestAfterReload());
    }

    @Test
    void aPartitionRebuiltWhileItIsSlicedStaysPointInTime() throws Exception {
        Keyspace db = dbs.db(2);
        for (int i = 0; i < 40_000; i++) {
            db.set(b("k:" + i), b("v" + i));
        }
        OffHeapStore store = (OffHeapStore) db.store();
        long rebuildsBefore = store.stats().rebuilds;
        String before = Digest.dataset(dbs);
        save(new Snapshot.Options(), true, s -> {
            // many new keys while the partitions are read a segment at a time: they outgrow their maps, which
            // are rebuilt larger (keys move between segments) under the snapshot's cursor
            int n = 0;
            while (!s.step(0)) {
                for (int i = 0; i < 2000; i++, n++) {
                    db.set(b("grow:" + n), b("x"));
                }
                if (n % 2000 == 0) {
                    db.delete(b("k:" + (n / 2000)));
                }
            }
        });
        assertTrue(store.stats().rebuilds > rebuildsBefore, "the partitions were rebuilt during the snapshot");
        assertEquals(before, redisDigestAfterReload());
    }

    /**
     * A BGSAVE and two replicas' transfers that began at different moments run together: each image is the
     * dataset at its own start, whatever the others and the writes between their steps do, and each guard
     * leaves the keyspaces when its snapshot is done.
     */
    @Test
    void overlappingSnapshotsEachKeepTheirOwnStart() throws Exception {
        Keyspace db = dbs.db(2);
        for (int i = 0; i < 20_000; i++) {
            db.set(b("k:" + i), b("v" + i));
        }
        fill(7);
        SplittableRandom r = new SplittableRandom(13);
        Runnable writes = () -> {
            for (int i = 0; i < 40; i++) {
                int k = r.nextInt(20_000);
                switch (r.nextInt(3)) {
                    case 0 -> db.set(b("k:" + k), b("rewritten " + i));
                    case 1 -> db.delete(b("k:" + k));
                    default -> dbs.db(0).set(b("s:" + r.nextInt(3000)), b("w" + i));
                }
            }
        };
        String[] digests = new String[3];
        Snapshot[] snaps = new Snapshot[3];
        RdbFileSink[] sinks = new RdbFileSink[3];
        for (int n = 0; n < 3; n++) {
            digests[n] = Digest.dataset(dbs);
            sinks[n] = new RdbFileSink(dir.resolve("temp-" + n + ".rdb"), dir.resolve("snap-" + n + ".rdb"), true);
            snaps[n] = new Snapshot(dbs, new Snapshot.Options(), sinks[n]);
            assertEquals(n + 1, db.guards(), "one guard per snapshot in progress");
            for (int step = 0; step < 20; step++) {
                for (int m = 0; m <= n; m++) {
                    snaps[m].step(0);
                }
                writes.run();
            }
        }
        dbs.db(3).clear(); // a FLUSHDB while all three run: each saves what it still needs of db 3 first
        boolean[] done = new boolean[3];
        while (!(done[0] && done[1] && done[2])) {
            for (int m = 0; m < 3; m++) {
                done[m] = snaps[m].step(0);
            }
            writes.run();
        }
        assertEquals(0, db.guards(), "every snapshot removed its guard");
        for (int n = 0; n < 3; n++) {
            sinks[n].done().get(30, TimeUnit.SECONDS);
            Files.copy(dir.resolve("snap-" + n + ".rdb"), dir.resolve("dump.rdb"),
                    StandardCopyOption.REPLACE_EXISTING);
            assertEquals(digests[n], redisDigestAfterReload(), "snapshot " + n + " is the dataset at its start");
        }
        assertNotEquals(digests[0], digests[2], "the writes did change the dataset between the starts");
    }
}
