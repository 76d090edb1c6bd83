package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RDB persistence seen from outside: the files SAVE, BGSAVE, save rules, FLUSHALL and SHUTDOWN write are
 * loaded by a real redis-server, whose DEBUG DIGEST must be Cascade's at the moment the save began; replies
 * and INFO fields as Redis gives them.
 */
@ExtendWith(Servers.class)
class PersistenceIT {
    private static ServerProcess cascade(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--enable-debug-command";
        all[1] = "yes";
        System.arraycopy(args, 0, all, 2, args.length);
        return ServerProcess.cascade(all);
    }

    /** Values of every type; sorted sets and streams come from redis-server as DUMP payloads (no ZADD/XADD yet). */
    private static void fill(Jedis c) throws Exception {
        try (ServerProcess r = ServerProcess.redis(); Jedis source = r.jedis()) {
            for (int i = 0; i < 200; i++) {
                source.zadd("zset:large", i * 0.5, "member-" + i);
            }
            source.zadd("zset:small", 1.5, "a");
            source.xadd("stream", StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
            source.xgroupCreate("stream", "g", StreamEntryID.LAST_ENTRY, false);
            for (String k : new String[] {"zset:large", "zset:small", "stream"}) {
                c.restore(k, 0, source.dump(k));
            }
        }
        for (int i = 0; i < 2000; i++) {
            c.set("s:" + i, i % 2 == 0 ? Integer.toString(i) : "text-" + "y".repeat(i % 50));
        }
        c.set("big", "z".repeat(100_000));
        c.pexpireAt("s:10", 4_000_000_000_000L);
        for (int i = 0; i < 1000; i++) {
            c.rpush("list:large", "e" + i);
            c.hset("hash:large", "f" + i, "v" + i);
            c.sadd("set:large", "m" + i);
            c.sadd("set:ints", Integer.toString(i));
        }
        c.rpush("list:small", "1", "two");
        c.hset("hash:small", "a", "1");
        c.select(5);
        c.set("in-db-5", "x");
        c.select(0);
    }

    /** Starts redis-server on a copy of Cascade's dump.rdb and returns its DEBUG DIGEST and DBSIZE. */
    private static String[] loadInRedis(ServerProcess cascade) throws Exception {
        Path copy = Files.createTempDirectory("rdb-copy-");
        Files.copy(cascade.dir().resolve("dump.rdb"), copy.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        try (ServerProcess r = ServerProcess.redis("--dir", copy.toString()); Jedis j = r.jedis()) {
            return new String[] {digest(j), Long.toString(j.dbSize())};
        }
    }

    private static String digest(Jedis j) {
        return SafeEncoder.encode((byte[]) j.sendCommand(() -> SafeEncoder.encode("DEBUG"), "DIGEST"));
    }

    private static String info(Jedis j, String field) {
        for (String line : j.info("persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO persistence");
    }

    private static void awaitBgsaveDone(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (info(j, "rdb_bgsave_in_progress").equals("1")) {
            assertTrue(System.nanoTime() < deadline, "BGSAVE did not finish");
            Thread.sleep(20);
        }
    }

    @Test
    void saveWritesAFileRedisLoadsWithTheSameDigest() throws Exception {
        try (ServerProcess c = cascade(); Jedis j = c.jedis()) {
            fill(j);
            String digest = digest(j);
            assertEquals("OK", j.save());
            assertEquals("0", info(j, "rdb_changes_since_last_save"));
            assertTrue(Files.exists(c.dir().resolve("dump.rdb")));
            String[] loaded = loadInRedis(c);
            assertEquals(digest, loaded[0]);
            assertTrue(c.log().contains("DB saved on disk"), c.log());
        }
    }

    @Test
    void bgsaveIsThePointInTimeImageWhileCommandsGoOn() throws Exception {
        try (ServerProcess c = cascade(); Jedis j = c.jedis()) {
            fill(j);
            String digest = digest(j);
            long lastSave = j.lastsave();
            // 1 ms per key: the save takes seconds, and commands must keep being served meanwhile
            j.configSet("rdb-key-save-delay", "1000");
            assertEquals("Background saving started", j.bgsave());
            assertEquals("1", info(j, "rdb_bgsave_in_progress"));
            assertEquals(Long.toString(j.dbSize() + 1), info(j, "current_save_keys_total"), "db 0 and db 5");
            assertEquals("ERR Background save already in progress",
                    assertThrowsData(() -> j.bgsave()));
            int writes = 0;
            while (info(j, "rdb_bgsave_in_progress").equals("1") && writes < 3000) {
                j.set("s:" + writes, "changed");
                j.del("s:" + (writes + 1));
                j.rpush("list:large", "more");
                writes += 3;
            }
            assertTrue(writes >= 300, "commands were served while the save ran (" + writes + " writes)");
            j.configSet("rdb-key-save-delay", "0");
            awaitBgsaveDone(j);
            assertEquals("ok", info(j, "rdb_last_bgsave_status"));
            assertTrue(j.lastsave() >= lastSave);
            assertNotEquals(digest, digest(j));
            assertEquals(digest, loadInRedis(c)[0], "the file holds the dataset as it was when BGSAVE began");
            assertTrue(c.log().contains("Background saving terminated with success"), c.log());
        }
    }

    private static String assertThrowsData(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class, e)
                .getMessage();
    }

    @Test
    void saveRulesStartABackgroundSave() throws Exception {
        try (ServerProcess c = cascade("--save", "1 2"); Jedis j = c.jedis()) {
            j.set("a", "1");
            assertEquals("1", info(j, "rdb_changes_since_last_save"));
            Thread.sleep(1100);
            j.set("b", "2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!info(j, "rdb_changes_since_last_save").equals("0")) {
                assertTrue(System.nanoTime() < deadline, "the save rule did not fire:\n" + c.log());
                Thread.sleep(50);
            }
            awaitBgsaveDone(j);
            assertTrue(c.log().contains("2 changes in 1 seconds. Saving..."), c.log());
            assertEquals("2", loadInRedis(c)[1]);
        }
    }

    @Test
    void shutdownSavesWhenRulesExistOrWhenAsked() throws Exception {
        try (ServerProcess c = cascade("--save", "3600 1"); Jedis j = c.jedis()) {
            j.set("k", "v");
            assertFalse(Files.exists(c.dir().resolve("dump.rdb")));
            c.cli("SHUTDOWN");
            assertEquals(0, c.awaitExit(30));
            assertTrue(c.log().contains("Saving the final RDB snapshot before exiting."), c.log());
            assertEquals("1", loadInRedis(c)[1]);
        }
        try (ServerProcess c = cascade("--save", ""); Jedis j = c.jedis()) {
            j.set("k", "v");
            c.cli("SHUTDOWN");
            c.awaitExit(30);
            assertFalse(Files.exists(c.dir().resolve("dump.rdb")), "no save rules, no SAVE: nothing written");
        }
        try (ServerProcess c = cascade("--save", ""); Jedis j = c.jedis()) {
            j.set("k", "v");
            j.set("k2", "v");
            c.cli("SHUTDOWN", "SAVE");
            c.awaitExit(30);
            assertEquals("2", loadInRedis(c)[1]);
        }
        try (ServerProcess c = cascade("--save", "3600 1"); Jedis j = c.jedis()) {
            j.set("k", "v");
            c.process().destroy(); // SIGTERM: shutdown-on-sigterm default saves when rules exist
            assertEquals(0, c.awaitExit(30));
            assertEquals("1", loadInRedis(c)[1]);
        }
    }

    @Test
    void commandRepliesAsRedis() throws Exception {
        try (Twin twin = Twin.start()) {
            twin.same("BGSAVE", "NOW");
            twin.same("BGSAVE", "SCHEDULE", "X");
            twin.same("SAVE", "X");
            twin.same("LASTSAVE", "X");
            try (Twin.Session s = twin.session()) {
                s.same("MULTI");
                s.same("SAVE");
                s.same("BGSAVE");
                s.same("EXEC");
            }
            twin.same("SET", "k", "v");
            twin.same("SAVE");
            twin.same("DBSIZE");
        }
    }

    @Test
    void failedSaveTurnsWritesAwayLikeRedis() throws Exception {
        try (Twin twin = Twin.start("--save", "3600 1", "--dbfilename", "blocked.rdb")) {
            for (ServerProcess p : new ServerProcess[] {twin.redis, twin.cascade}) {
                // a non-empty directory where the file should go: the rename at the end of the save fails
                Files.createDirectories(p.dir().resolve("blocked.rdb").resolve("x"));
            }
            twin.same("SET", "a", "1");
            twin.same("SAVE");
            twin.same("BGSAVE");
            for (ServerProcess p : new ServerProcess[] {twin.redis, twin.cascade}) {
                try (Jedis j = p.jedis()) {
                    awaitBgsaveDone(j);
                    assertEquals("err", info(j, "rdb_last_bgsave_status"), p.kind());
                }
            }
            twin.same("SET", "a", "2");
            twin.same("PING");
            twin.same("GET", "a");
            twin.same("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
            twin.same("SET", "a", "3");
            twin.same("CONFIG", "SET", "save", ""); // or neither would exit on SIGTERM: the final save would fail
        }
    }

    @Test
    void flushallWithSaveRulesWritesAnEmptyFile() throws Exception {
        try (ServerProcess c = cascade("--save", "3600 1000"); Jedis j = c.jedis()) {
            j.set("a", "1");
            j.set("b", "1");
            assertEquals("2", info(j, "rdb_changes_since_last_save"));
            j.flushAll();
            assertEquals("0", info(j, "rdb_changes_since_last_save"));
            assertEquals("0", loadInRedis(c)[1]);
        }
    }

    @Test
    void aRestartLoadsTheSavedDatasetBack() throws Exception {
        String digest;
        ServerProcess first = cascade("--save", "3600 1");
        try (Jedis j = first.jedis()) {
            fill(j);
            j.pexpire("s:11", 3_600_000);
            digest = digest(j);
            first.cli("SHUTDOWN");
            assertEquals(0, first.awaitExit(60));
        }
        try (ServerProcess second = cascade("--dir", first.dir().toString()); Jedis j = second.jedis()) {
            assertEquals(digest, digest(j));
            assertTrue(j.pttl("s:11") > 3_500_000);
            assertEquals(Long.toString(j.dbSize() + 1), info(j, "rdb_last_load_keys_loaded"));
            assertTrue(second.log().contains("Done loading RDB, keys loaded: " + (j.dbSize() + 1) + ", keys expired: 0."),
                    second.log());
            assertTrue(second.log().contains("DB loaded from disk"), second.log());
        } finally {
            first.close();
        }
    }

    @Test
    void redisServersFileLoadsAtStartup() throws Exception {
        try (ServerProcess r = ServerProcess.redis(); Jedis redis = r.jedis()) {
            for (int i = 0; i < 300; i++) {
                redis.zadd("z", i, "m" + i);
                redis.hset("h", "f" + i, "v" + i);
                redis.sadd("s", Integer.toString(i));
                redis.rpush("l", "e" + i);
                redis.set("k" + i, "v" + i);
            }
            redis.xadd("x", StreamEntryID.NEW_ENTRY, Map.of("a", "1"));
            // no active expiry on the source: "gone" must stay in its file, expired, whatever the timing
            redis.sendCommand(() -> SafeEncoder.encode("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
            redis.set("gone", "1");
            redis.pexpire("gone", 1); // already expired when Cascade loads: a master drops it
            Thread.sleep(5);
            redis.set("later", "1");
            redis.pexpire("later", 600_000);
            String digestBefore = digest(redis);
            assertEquals("OK", redis.save());
            try (ServerProcess c = cascade("--dir", r.dir().toString()); Jedis j = c.jedis()) {
                redis.del("gone"); // Redis's own view without the expired key, for the comparison
                assertEquals(digest(redis), digest(j));
                assertNotEquals(digestBefore, digest(j));
                assertEquals("1", info(j, "rdb_last_load_keys_expired"));
            }
        }
    }

    @Test
    void aCorruptFileStopsTheStartWithTheReason() throws Exception {
        Path dir = Files.createTempDirectory("corrupt-rdb-");
        try (ServerProcess r = ServerProcess.redis("--dir", dir.toString()); Jedis redis = r.jedis()) {
            for (int i = 0; i < 100; i++) {
                redis.set("k" + i, "v" + i);
            }
            redis.save();
        }
        byte[] whole = Files.readAllBytes(dir.resolve("dump.rdb"));
        Files.write(dir.resolve("dump.rdb"), Arrays.copyOf(whole, whole.length / 2));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> cascade("--dir", dir.toString()));
        assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
        assertTrue(e.getMessage().contains("Terminating server after rdb file reading failure."), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected EOF"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*at offset \\d+.*"), "the log names where: " + e.getMessage());
        assertArrayEquals(Arrays.copyOf(whole, whole.length / 2), Files.readAllBytes(dir.resolve("dump.rdb")),
                "the file is left as it was");
    }

    @Test
    void debugReloadAsRedis() throws Exception {
        try (Twin twin = Twin.start()) {
            twin.same("RPUSH", "l", "a", "b", "c");
            twin.same("HSET", "h", "f", "1");
            twin.same("SET", "n", "12345");
            twin.same("PEXPIRE", "n", "100000");
            twin.same("DEBUG", "RELOAD");
            twin.sameDigest();
            twin.same("OBJECT", "ENCODING", "n");
            twin.same("DEBUG", "RELOAD", "BADOPTION");
            twin.same("DEBUG", "RELOAD", "NOSAVE");
            twin.sameDigest();
            twin.same("SET", "extra", "1");
            twin.same("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE");
            twin.same("GET", "extra");
            twin.sameDigest();
            twin.same("DEBUG", "RELOAD", "NOSAVE");
            twin.same("EXISTS", "extra");
            twin.same("DBSIZE");
        }
    }

    @Test
    void clientsGetLoadingWhileTheFileLoads() throws Exception {
        Path dir = Files.createTempDirectory("loading-rdb-");
        try (ServerProcess r = ServerProcess.redis("--dir", dir.toString()); Jedis redis = r.jedis()) {
            redis.sendCommand(() -> SafeEncoder.encode("DEBUG"), "POPULATE", "1000000");
            redis.save();
        }
        try (ServerProcess c = ServerProcess.cascadeStarting(dir, "--save", "")) {
            int port = c.port();
            String first = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (first == null && System.nanoTime() < deadline) {
                try (RawConnection raw = new RawConnection(port)) {
                    first = raw.call("GET", "key:1");
                    if (first.startsWith("-LOADING")) {
                        assertEquals("-LOADING Redis is loading the dataset in memory\r\n", raw.call("PING"));
                        String info = raw.call("INFO", "persistence");
                        assertTrue(info.contains("loading:1\r\n"), info);
                        assertTrue(info.contains("loading_total_bytes:" + Files.size(dir.resolve("dump.rdb"))), info);
                    }
                } catch (IOException notListeningYet) {
                    Thread.sleep(20);
                }
            }
            assertEquals("-LOADING Redis is loading the dataset in memory\r\n", first,
                    "a client connecting during the load of 1M keys is told so");
            String last;
            do {
                Thread.sleep(100);
                try (RawConnection raw = new RawConnection(port)) {
                    last = raw.call("GET", "key:1");
                }
            } while (last.startsWith("-LOADING") && System.nanoTime() < deadline);
            assertEquals("$7\r\nvalue:1\r\n", last);
            assertTrue(c.log().contains("Ready to accept connections"), c.log());
        }
    }

    /** IDLE and FREQ go into the file under LRU and LFU policies and come back on load, in Cascade and in Redis. */
    @Test
    void accessClocksSurviveSaveAndLoad() throws Exception {
        for (String policy : new String[] {"allkeys-lru", "allkeys-lfu"}) {
            boolean lfu = policy.endsWith("lfu");
            ServerProcess first = cascade("--maxmemory-policy", policy, "--save", "");
            try {
                try (Jedis j = first.jedis()) {
                    j.set("src", "v");
                    byte[] payload = j.dump("src");
                    Object restored = lfu
                            ? j.sendCommand(() -> SafeEncoder.encode("RESTORE"), SafeEncoder.encode("k"),
                                    SafeEncoder.encode("0"), payload, SafeEncoder.encode("FREQ"), SafeEncoder.encode("100"))
                            : j.sendCommand(() -> SafeEncoder.encode("RESTORE"), SafeEncoder.encode("k"),
                                    SafeEncoder.encode("0"), payload, SafeEncoder.encode("IDLETIME"), SafeEncoder.encode("1000"));
                    assertEquals("OK", SafeEncoder.encode((byte[]) restored));
                    assertEquals("OK", j.save());
                }
                try (ServerProcess second = cascade("--maxmemory-policy", policy, "--dir", first.dir().toString());
                     Jedis j = second.jedis()) {
                    if (lfu) {
                        assertEquals(100L, j.objectFreq("k"), policy);
                    } else {
                        long idle = j.objectIdletime("k");
                        assertTrue(idle >= 1000 && idle < 1100, policy + ": " + idle);
                    }
                }
                Path copy = Files.createTempDirectory("rdb-clock-");
                Files.copy(first.dir().resolve("dump.rdb"), copy.resolve("dump.rdb"));
                try (ServerProcess r = ServerProcess.redis("--dir", copy.toString(), "--maxmemory-policy", policy);
                     Jedis j = r.jedis()) {
                    if (lfu) {
                        assertEquals(100L, j.objectFreq("k"), "redis-server reads Cascade's FREQ");
                    } else {
                        long idle = j.objectIdletime("k");
                        assertTrue(idle >= 1000 && idle < 1100, "redis-server reads Cascade's IDLE: " + idle);
                    }
                }
            } finally {
                first.close();
            }
        }
    }
}
