package io.cascade.storage.rdb;

import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The sorted sets of the shared RDB corpus (every zset encoding: ZSET with text scores, ZSET_2, ziplist,
 * listpack) read with RdbValueReader and compared with what redis-server 7.0.15 reported after loading them
 * (the .expected.json files). For the files Redis 7.0 wrote itself, the value bytes Cascade writes back must
 * be the file's own bytes.
 */
class ZSetRdbFilesTest {
    private static final Path CORPUS = Path.of(System.getProperty("user.dir")).resolve("../../shared/testdata/rdb");
    private static final Pattern PAIR = Pattern.compile("\\[\"((?:[^\"\\\\]|\\\\.)*)\",\"([^\"]*)\"\\]");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\",\"type\":\"zset\",\"value\":\\[(.*?)\\]\\}");

    /** One value of a file: its key, the object, and the value's bytes in the file. */
    private record Entry(String key, Object value, byte[] raw) {
    }

    /** The keys and values of an RDB file (just the opcodes these files use). */
    private static List<Entry> read(byte[] file) {
        RdbValueReader r = new RdbValueReader(file, 9, file.length - 9);
        List<Entry> out = new ArrayList<>();
        while (true) {
            int op = r.readByte();
            switch (op) {
                case 0xff -> {
                    return out;
                }
                case 0xfa -> { // aux field
                    r.readString();
                    r.readString();
                }
                case 0xfe -> r.readLen();
                case 0xfb -> {
                    r.readLen();
                    r.readLen();
                }
                case 0xfc -> skip(r, 8);
                case 0xfd -> skip(r, 4);
                case 0xf9 -> skip(r, 1);
                case 0xf8 -> r.readLen();
                default -> {
                    String key = new String(r.readString(), StandardCharsets.ISO_8859_1);
                    int from = r.position();
                    Object v = r.readObject(op);
                    out.add(new Entry(key, v, Arrays.copyOfRange(file, from, r.position())));
                }
            }
        }
    }

    private static void skip(RdbValueReader r, int n) {
        for (int i = 0; i < n; i++) {
            r.readByte();
        }
    }

    private static double score(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"librdb/plain_zset_v6.rdb", "librdb/plain_zset_2_v11.rdb", "librdb/zset_zl_v6.rdb",
            "librdb/zset_lp_v11.rdb", "redis-assets/zset-ziplist.rdb", "generated/r7.0-zset-listpack.rdb",
            "generated/r7.0-zset-skiplist.rdb", "generated/r7.2-zset-listpack.rdb", "generated/r7.2-zset-skiplist.rdb",
            "generated/r7.4-zset-listpack.rdb", "generated/r7.4-zset-skiplist.rdb"})
    void zsetsReadAsRedisLoadsThem(String name) throws IOException {
        Path file = CORPUS.resolve(name);
        Assumptions.assumeTrue(Files.exists(file), "no RDB corpus at " + CORPUS);
        String json = Files.readString(CORPUS.resolve(name + ".expected.json"));
        Map<String, String> expected = new LinkedHashMap<>();
        Matcher k = KEY.matcher(json);
        while (k.find()) {
            expected.put(k.group(1), k.group(2));
        }
        List<Entry> entries = read(Files.readAllBytes(file));
        assertFalse(expected.isEmpty());
        assertEquals(expected.size(), entries.size(), "keys of " + name);
        for (Entry e : entries) {
            RZSet z = (RZSet) e.value;
            List<String> want = new ArrayList<>();
            Matcher p = PAIR.matcher(expected.get(e.key));
            while (p.find()) {
                double d = score(p.group(2));
                want.add(p.group(1) + "=" + Double.doubleToRawLongBits(d));
            }
            List<String> got = new ArrayList<>();
            for (ZNode n = z.first(); n != null; n = n.next()) {
                got.add(new String(n.member(), StandardCharsets.UTF_8) + "=" + Double.doubleToRawLongBits(n.score()));
            }
            assertEquals(want, got, e.key + " in " + name);
            if (name.startsWith("generated/r7.0-")) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                new RdbValueWriter(buf, true).writeObject(z);
                assertArrayEquals(e.raw, buf.toByteArray(), "bytes of " + e.key + " in " + name);
            }
        }
    }
}
