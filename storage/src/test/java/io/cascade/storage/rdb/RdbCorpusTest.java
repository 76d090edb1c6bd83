package io.cascade.storage.rdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascade.storage.Databases;
import io.cascade.storage.Keyspace;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every file of the shared RDB corpus read by RdbFileReader and loaded by RdbLoader, compared with what a real
 * redis-server reported after loading it (X.expected.json). The rules:
 * <ul>
 * <li>"load": "failed" files must fail with RdbFormatException, except MODULE_ONLY_FAILURES: Redis refused
 * those only because the module was missing or was not the matching test build; Cascade skips module data, so
 * they must load and report at least one skipped module record (their contents are not known, so nothing else
 * is compared).
 * <li>"load": "ok" files must load and match exactly: per db, every key, its type, expire_at_ms, and the value
 * (RdbRender lists what is left out: a group's lag and a consumer's 7.2 active-time, both not kept by Cascade);
 * keys whose expected type is a module type must be exactly the MODULE_2 values the reader skipped (with that
 * module name; the DUMP bytes are not compared), and functions must have the same code; keys loaded must
 * equal the "keys loaded" count of the server's log.
 * <li>The RDB must stop exactly where the framing says (replication payloads) and the AOF tail of
 * rdb-preamble.aof must be left unread; keys the expected file has from that tail must be in the tail.
 * </ul>
 */
class RdbCorpusTest {
    static final Set<String> MODULE_ONLY_FAILURES = Set.of("librdb/misc_with_stream.rdb", "librdb/module.rdb",
            "librdb/module_aux.rdb", "librdb/module_aux_empty.rdb");
    /** How each refused file must fail: Redis's own words where its log has them. */
    private static final Map<String, String> REDIS_WORDS = Map.of(
            "librdb/future_v19.rdb", "Can't handle RDB format version 99",
            "librdb/invalid_chksum_v8.rdb", "Wrong RDB checksum expected: (a609bb6465990fe1) but got (b477e446e98e5402)",
            "redis-assets/corrupt_ziplist.rdb", "Hash ziplist integrity check failed.",
            // Redis reads on past the opcode and fails at EOF; Cascade names the opcode
            "librdb/redis_ent_opcode_ram_lru.rdb", "Unknown RDB opcode or object type 107 at offset 280");
    private static final Pattern DONE = Pattern.compile("keys loaded: (\\d+), keys expired: (\\d+)");

    @TestFactory
    Stream<DynamicTest> everyCorpusFile() throws IOException {
        return RdbCorpus.dataFiles().stream().map(n -> DynamicTest.dynamicTest(n, () -> check(n)));
    }

    @Test
    void moduleFailureListIsCurrent() throws IOException {
        RdbCorpus.assumePresent();
        for (String n : MODULE_ONLY_FAILURES) {
            JsonNode e = RdbCorpus.expected(n);
            assertFalse(RdbCorpus.expectedOk(e), n);
            assertTrue(e.get("log").toString().toLowerCase().contains("module"), n);
        }
    }

    private static void check(String name) throws IOException {
        JsonNode expected = RdbCorpus.expected(name);
        RdbCorpus.Rdb rdb = RdbCorpus.rdb(name);
        Collected c = new Collected();
        RdbFileReader reader = new RdbFileReader(new ByteArrayInputStream(rdb.bytes()), c);
        if (!RdbCorpus.expectedOk(expected) && !MODULE_ONLY_FAILURES.contains(name)) {
            RdbFormatException e = assertThrows(RdbFormatException.class, reader::read, name);
            String why = REDIS_WORDS.get(name);
            assertTrue(why != null, "no expected message for " + name + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith(why), name + ": " + e.getMessage());
            assertTrue(expected.get("log").toString().contains(why.replaceAll(" \\(.*", "").replaceAll(" at .*", ""))
                    || name.contains("redis_ent"), "Redis's words in the log of " + name);
            return;
        }
        reader.read();
        if (rdb.exactLength() >= 0) {
            assertEquals(rdb.exactLength(), reader.bytesConsumed(), "RDB length inside the framing of " + name);
        }
        if (!RdbCorpus.expectedOk(expected)) {
            assertFalse(c.modules.isEmpty(), "module records skipped in " + name);
            return;
        }
        byte[] tail = Arrays.copyOfRange(rdb.bytes(), (int) reader.bytesConsumed(), rdb.bytes().length);
        if (name.endsWith(".aof")) {
            assertTrue(tail.length > 0 && tail[0] == '*', "RESP after the RDB preamble");
        } else if (rdb.exactLength() < 0) {
            assertEquals(0, tail.length, "bytes after the checksum of " + name);
        }
        compareKeys(name, expected, c, tail);
        List<String> wantFunctions = new ArrayList<>();
        expected.get("functions").forEach(f -> wantFunctions.add(RdbRender.bytes(f.get("code"))));
        List<String> gotFunctions = new ArrayList<>();
        c.functions.forEach(f -> gotFunctions.add(RdbRender.bytes(f)));
        wantFunctions.sort(null);
        gotFunctions.sort(null);
        assertEquals(wantFunctions, gotFunctions, "functions of " + name);
        Matcher done = DONE.matcher(expected.get("log").toString());
        if (done.find()) {
            assertEquals(Long.parseLong(done.group(1)), c.keys.size() + c.modules.stream().filter(m -> m.key() != null).count(),
                    "keys loaded, as the server's log says, in " + name);
        }
        loadAndCompare(name, rdb, c);
    }

    private static void compareKeys(String name, JsonNode expected, Collected c, byte[] tail) {
        Map<String, Collected.Key> got = new TreeMap<>();
        for (Collected.Key k : c.keys) {
            assertTrue(got.put(k.db() + "/" + RdbRender.bytes(k.key()), k) == null, "duplicate key in " + name);
        }
        Map<String, Collected.Module> modules = new TreeMap<>();
        for (Collected.Module m : c.modules) {
            if (m.key() != null) {
                modules.put(m.db() + "/" + RdbRender.bytes(m.key()), m);
            }
        }
        Set<String> seen = new HashSet<>();
        expected.get("dbs").fields().forEachRemaining(db -> db.getValue().forEach(line -> {
            String id = db.getKey() + "/" + RdbRender.bytes(line.get("key"));
            seen.add(id);
            String type = line.get("type").asText();
            String where = id + " in " + name;
            if (line.get("value").has("module_type")) {
                Collected.Module m = modules.get(id);
                assertTrue(m != null, "a skipped module value for " + where);
                assertEquals(line.get("value").get("module_type").asText(), m.name(), where);
                return;
            }
            Collected.Key k = got.get(id);
            if (k == null && name.endsWith(".aof")) {
                byte[] key = RdbRender.bytes(line.get("key")).getBytes(StandardCharsets.ISO_8859_1);
                assertTrue(RdbCorpus.indexOf(tail, key, 0) >= 0, where + " is neither in the RDB nor in the AOF tail");
                return;
            }
            assertTrue(k != null, "missing " + where);
            assertEquals(type, RdbRender.type(k.value()), "type of " + where);
            JsonNode exp = line.get("expire_at_ms");
            assertEquals(exp.isNull() ? -1 : exp.asLong(), k.expireAt(), "expire_at_ms of " + where);
            assertEquals(RdbRender.expected(type, line.get("value")), RdbRender.value(k.value(), k.fieldTtls()),
                    "value of " + where);
        }));
        for (String id : got.keySet()) {
            assertTrue(seen.contains(id), "unexpected key " + id + " in " + name);
        }
        for (String id : modules.keySet()) {
            assertTrue(seen.contains(id), "unexpected module key " + id + " in " + name);
        }
    }

    /** The same file through RdbLoader into a fresh Databases: the same keys, values and expires. */
    private static void loadAndCompare(String name, RdbCorpus.Rdb rdb, Collected c) throws IOException {
        Databases dbs = new Databases(16);
        List<long[]> hooks = new ArrayList<>();
        RdbLoader.Result r = RdbLoader.load(new ByteArrayInputStream(rdb.bytes()), dbs, new RdbLoader.Options()
                .dropExpired(false).keyHook((db, key, idle, freq) -> hooks.add(new long[] {idle, freq})));
        assertEquals(c.keys.size(), r.keysLoaded(), name);
        assertEquals(c.version, r.rdbVersion());
        assertEquals(c.empty.size(), r.emptyKeysSkipped());
        assertEquals(c.keys.size(), hooks.size());
        for (int i = 0; i < hooks.size(); i++) {
            assertEquals(c.keys.get(i).idle(), hooks.get(i)[0]);
            assertEquals(c.keys.get(i).freq(), hooks.get(i)[1]);
        }
        long total = 0;
        for (int i = 0; i < 16; i++) {
            total += dbs.db(i).size();
        }
        assertEquals(c.keys.size(), total, name);
        for (Collected.Key k : c.keys) {
            Keyspace db = dbs.db(k.db());
            Object v = db.peek(k.key());
            if (v == null) {
                fail("the loader did not store " + RdbRender.bytes(k.key()) + " of " + name);
            }
            assertEquals(RdbRender.value(k.value(), k.fieldTtls()), RdbRender.value(v, k.fieldTtls()), name);
            assertEquals(k.expireAt(), db.getExpire(k.key()), name);
        }
        for (byte[][] a : c.aux) {
            String n = new String(a[0], StandardCharsets.ISO_8859_1).toLowerCase();
            if (!n.equals("lua")) {
                assertTrue(r.aux().containsKey(n), n + " in " + name);
            }
        }
        assertEquals(c.functions.size(), r.functions().size());
        for (int i = 0; i < c.functions.size(); i++) {
            assertArrayEquals(c.functions.get(i), r.functions().get(i));
        }
    }
}
