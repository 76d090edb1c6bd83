package io.cascade.tests;

import io.cascade.storage.rdb.RdbValueWriter;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamId;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cascade.tests.SeedValues.b;
import static io.cascade.tests.SeedValues.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream values without the stream commands: streams are built on redis-server (XADD with same and different
 * field sets over several nodes, XDEL, XTRIM, explicit IDs, groups filled by XREADGROUP / XCLAIM / XACK),
 * DUMPed and RESTOREd into Cascade, which must then agree on DEBUG DIGEST, DIGEST-VALUE, TYPE, OBJECT ENCODING
 * and the DUMP bytes; Cascade's DUMP restored into redis-server gives the same XINFO STREAM FULL. The generic
 * key commands (COPY, RENAME, MOVE, SCAN TYPE, DEBUG OBJECT, WRONGTYPE) and RESTORE's refusals of broken
 * stream payloads are compared too.
 */
@ExtendWith(Servers.class)
class StreamValuesIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void flush() throws IOException {
        twin.flushAll();
        twin.same("CONFIG", "SET", "rdbcompression", "yes");
    }

    /** Runs commands on redis-server only (the stream commands Cascade does not have yet). */
    private static void onRedis(String... lines) throws IOException {
        try (Jedis j = twin.redis.jedis()) {
            for (String line : lines) {
                String[] w = line.split(" ");
                byte[][] args = new byte[w.length - 1][];
                for (int i = 1; i < w.length; i++) {
                    args[i - 1] = b(w[i]);
                }
                j.sendCommand(command(w[0]), args);
            }
        }
    }

    private static Object call(Jedis j, byte[]... args) {
        byte[][] rest = new byte[args.length - 1][];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try {
            return j.sendCommand(command(new String(args[0])), rest);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    private static byte[] dump(Jedis j, String key) {
        return (byte[]) call(j, b("DUMP"), b(key));
    }

    /** The same binary command on both; replies compared as text (bulk strings in hex). */
    private static String same(byte[]... args) {
        List<String> replies = new ArrayList<>();
        for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
            try (j) {
                Object r = call(j, args);
                replies.add(r instanceof byte[] x ? HexFormat.of().formatHex(x) : String.valueOf(r));
            }
        }
        assertEquals(replies.get(0), replies.get(1), "reply to " + new String(args[0]) + " " + new String(args[1]));
        return replies.get(0);
    }

    /** Copies redis-server's key to Cascade with DUMP / RESTORE. */
    private static void copyToCascade(String key) {
        byte[] p;
        try (Jedis r = twin.redis.jedis()) {
            p = dump(r, key);
        }
        try (Jedis c = twin.cascade.jedis()) {
            assertEquals("OK", text(call(c, b("RESTORE"), b(key), b("0"), p, b("REPLACE"))));
        }
    }

    /**
     * Everything the two servers must agree on for a stream key, and the way back: Cascade's DUMP restored
     * into redis-server is the same stream there (digest, XINFO STREAM FULL).
     */
    private static void sameStream(String key) throws IOException {
        twin.same("TYPE", key);
        twin.same("OBJECT", "ENCODING", key);
        twin.same("DEBUG", "DIGEST-VALUE", key);
        same(b("DUMP"), b(key));
        twin.sameDigest();
        byte[] back;
        try (Jedis c = twin.cascade.jedis()) {
            back = dump(c, key);
        }
        try (Jedis r = twin.redis.jedis()) {
            r.select(9);
            assertEquals("OK", text(call(r, b("RESTORE"), b("back"), b("0"), back, b("REPLACE"))));
            Object digestBack = call(r, b("DEBUG"), b("DIGEST-VALUE"), b("back"));
            Object infoBack = call(r, b("XINFO"), b("STREAM"), b("back"), b("FULL"));
            r.del("back");
            r.select(0);
            assertEquals(text(call(r, b("DEBUG"), b("DIGEST-VALUE"), b(key))), text(digestBack));
            assertEquals(text(call(r, b("XINFO"), b("STREAM"), b(key), b("FULL"))), text(infoBack));
        }
    }

    /** A reply as comparable text (Jedis gives byte arrays inside lists). */
    private static String text(Object o) {
        if (o instanceof byte[] x) {
            return new String(x, StandardCharsets.ISO_8859_1);
        }
        if (o instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object e : l) {
                out.add(text(e));
            }
            return out.toString();
        }
        return String.valueOf(o);
    }

    private static String xadds(String key, int from, int to, String fields) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i <= to; i++) {
            s.append("XADD ").append(key).append(' ').append(i).append("-1 ").append(fields.replace("#", Integer.toString(i)));
            if (i < to) {
                s.append('\n');
            }
        }
        return s.toString();
    }

    @Test
    void streamsWithNodesTombstonesAndGroups() throws IOException {
        onRedis(xadds("s", 1, 150, "name n# value #").split("\n"));
        onRedis(xadds("s", 151, 260, "other o# f2 -# f3 x").split("\n"));
        onRedis(xadds("s", 261, 300, "name n# value #").split("\n"));
        onRedis("XDEL s 5-1 6-1 7-1 120-1 200-1", "XADD s 300-5 single 1", "XADD s 18446744073709551615-3 max m",
                "XGROUP CREATE s g1 0", "XGROUP CREATE s 777 $", "XGROUP CREATE s later 100-1 ENTRIESREAD 90",
                "XREADGROUP GROUP g1 alice COUNT 30 STREAMS s >", "XREADGROUP GROUP g1 bob COUNT 12 STREAMS s >",
                "XREADGROUP GROUP later carol COUNT 3 STREAMS s >",
                "XCLAIM s g1 dave 0 2-1 9-1 40-1 RETRYCOUNT 4", "XACK s g1 1-1 3-1 35-1",
                "XGROUP CREATECONSUMER s g1 idle", "XGROUP SETID s 777 150-1");
        copyToCascade("s");
        sameStream("s");
        twin.same("DEBUG", "DIGEST-VALUE", "s", "missing");

        // trimmed inside a node, and by whole nodes
        onRedis(xadds("t", 1, 500, "a # b #").split("\n"));
        onRedis("XTRIM t MAXLEN 333", "XTRIM t MINID ~ 250-1", "XDEL t 400-1");
        copyToCascade("t");
        sameStream("t");

        // everything deleted: an empty stream with a last ID and a group is still a key
        onRedis("XADD e 5-5 f v", "XADD e 6-6 f v", "XGROUP CREATE e g $", "XDEL e 5-5 6-6");
        copyToCascade("e");
        sameStream("e");
        twin.same("EXISTS", "e");
        onRedis("XGROUP CREATE never g $ MKSTREAM");
        copyToCascade("never");
        sameStream("never");
    }

    @Test
    void largeValuesAndCompressionSettings() throws IOException {
        String big = "compressible-".repeat(40);
        onRedis("CONFIG SET stream-node-max-bytes 1000", "CONFIG SET stream-node-max-entries 0");
        onRedis(xadds("big", 1, 60, "payload " + big + "# n #").split("\n"));
        onRedis("CONFIG SET stream-node-max-bytes 4096", "CONFIG SET stream-node-max-entries 100");
        copyToCascade("big");
        sameStream("big");
        twin.same("CONFIG", "SET", "rdbcompression", "no");
        same(b("DUMP"), b("big"));
        twin.same("CONFIG", "SET", "rdbcompression", "yes");
    }

    private static final Pattern DEBUG_FIELDS = Pattern.compile("encoding:(\\S+) serializedlength:(\\d+)");

    private static String debugObject(Jedis j, String key) {
        Matcher m = DEBUG_FIELDS.matcher(text(call(j, b("DEBUG"), b("OBJECT"), b(key))));
        assertTrue(m.find());
        return m.group(1) + " " + m.group(2);
    }

    @Test
    void genericCommandsOnStreams() throws IOException {
        onRedis(xadds("s", 1, 120, "f # g x").split("\n"));
        onRedis("XDEL s 50-1", "XGROUP CREATE s grp 10-1", "XREADGROUP GROUP grp c1 COUNT 5 STREAMS s >");
        copyToCascade("s");
        twin.same("COPY", "s", "c");
        same(b("DUMP"), b("c"));
        twin.same("DEBUG", "DIGEST-VALUE", "c");
        try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
            assertEquals(debugObject(r, "s"), debugObject(c, "s"));
        }
        twin.same("RENAME", "c", "r");
        twin.same("TYPE", "r");
        twin.same("MOVE", "r", "1");
        try (Twin.Session s = twin.session()) {
            s.same("SELECT", "1");
            s.same("TYPE", "r");
            s.same("DEBUG", "DIGEST-VALUE", "r");
            s.same("SELECT", "0");
        }
        twin.same("SCAN", "0", "TYPE", "stream");
        twin.same("SET", "str", "x");
        twin.same("SCAN", "0", "TYPE", "stream");
        twin.same("SCAN", "0", "TYPE", "string");
        twin.same("EXPIRE", "s", "1000");
        twin.same("DEBUG", "DIGEST-VALUE", "s");
        twin.sameDigest();
        twin.same("PERSIST", "s");
        for (String[] wrong : new String[][] {{"GET", "s"}, {"LPUSH", "s", "x"}, {"HGET", "s", "f"}, {"SADD", "s", "m"},
                {"APPEND", "s", "x"}, {"SETBIT", "s", "1", "1"}, {"PFADD", "s", "a"}, {"OBJECT", "ENCODING", "nokey"}}) {
            twin.same(wrong);
        }
        twin.same("COPY", "s", "str", "REPLACE");
        twin.same("TYPE", "str");
        same(b("DUMP"), b("str"));
        twin.same("DEL", "s", "str");
        twin.sameDigest();
    }

    /** A DUMP payload around a hand-made stream body (type 19 unless the body says otherwise). */
    private static byte[] payload(ByteArrayOutputStream body) {
        return DumpRestoreIT.withFooter(body.toByteArray());
    }

    /** A one-node stream's beginning: type, node count, the node (key of keyLen bytes, listpack). */
    private static RdbValueWriter streamHead(ByteArrayOutputStream out, int type, int nodes, int keyLen, byte[] lp) {
        RdbValueWriter w = new RdbValueWriter(out, false);
        out.write(type);
        w.writeLen(nodes);
        for (int i = 0; i < nodes; i++) {
            byte[] key = new byte[keyLen];
            key[keyLen - 1] = 1; // master ID 0-1
            w.writeString(key);
            w.writeString(lp);
        }
        return w;
    }

    /** The listpack of a node with one entry 0-1 {f: v}, as Redis lays it out. */
    private static byte[] oneEntryNode() {
        RStream s = new RStream();
        try {
            s.append(new byte[][] {b("f"), b("v")}, new StreamId(0, 1), true, 0);
        } catch (RStream.AppendException e) {
            throw new AssertionError(e);
        }
        return s.nodes().firstEntry().getValue();
    }

    /** length 1, last 0-1, first 0-1, max deleted 0-0, entries added 1 (the _2 metadata). */
    private static void metadata(RdbValueWriter w, boolean v2) {
        w.writeLen(1);
        w.writeLen(0);
        w.writeLen(1);
        if (v2) {
            w.writeLen(0);
            w.writeLen(1);
            w.writeLen(0);
            w.writeLen(0);
            w.writeLen(1);
        }
    }

    @Test
    void restoreRefusesBrokenStreamsAndReadsOldOnes() throws IOException {
        byte[] lp = oneEntryNode();
        List<byte[]> bad = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        streamHead(out, 19, 1, 15, lp); // node key not 16 bytes
        bad.add(payload(out));
        out = new ByteArrayOutputStream();
        metadata(streamHead(out, 19, 1, 16, HexFormat.of().parseHex("070000000000ff")), true); // empty listpack
        bad.add(payload(out));
        out = new ByteArrayOutputStream();
        RdbValueWriter w = streamHead(out, 19, 2, 16, lp); // the same node twice
        metadata(w, true);
        w.writeLen(0);
        bad.add(payload(out));
        out = new ByteArrayOutputStream();
        w = streamHead(out, 19, 0, 16, lp); // a length but no node
        metadata(w, true);
        w.writeLen(0);
        bad.add(payload(out));
        for (int variant = 0; variant < 3; variant++) {
            out = new ByteArrayOutputStream();
            w = streamHead(out, 19, 1, 16, lp);
            metadata(w, true);
            w.writeLen(variant == 0 ? 2 : 1); // groups
            for (int g = 0; g < (variant == 0 ? 2 : 1); g++) {
                w.writeString(b("grp")); // variant 0: the same group name twice
                w.writeLen(0);
                w.writeLen(1);
                w.writeLen(1); // entries read
                w.writeLen(1); // PEL: 0-1
                w.writeRaw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
                w.writeMillis(1700000000000L);
                w.writeLen(1);
                w.writeLen(variant == 2 ? 2 : 1); // consumers: variant 2 has the same one twice
                for (int c = 0; c < (variant == 2 ? 2 : 1); c++) {
                    w.writeString(b("alice"));
                    w.writeMillis(1700000000001L);
                    w.writeLen(1); // variant 1: owns 0-2, which the group PEL lacks
                    w.writeRaw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (variant == 1 ? 2 : 1)});
                }
            }
            bad.add(payload(out));
        }
        out = new ByteArrayOutputStream();
        metadata(streamHead(out, 21, 1, 16, lp), true); // 7.2's type is refused by 7.0
        out.write(0);
        bad.add(payload(out));
        out = new ByteArrayOutputStream();
        streamHead(out, 19, 1, 16, lp); // cut short after the node
        bad.add(payload(out));
        for (int i = 0; i < bad.size(); i++) {
            assertTrue(same(b("RESTORE"), b("bad" + i), b("0"), bad.get(i)).contains("Bad data format"), "payload " + i);
        }
        twin.same("KEYS", "*");

        // the 6.x form (RDB_TYPE_STREAM_LISTPACKS): first_id, entries_added and entries_read are derived on load
        out = new ByteArrayOutputStream();
        w = streamHead(out, 15, 1, 16, lp);
        metadata(w, false);
        w.writeLen(2);
        for (String g : new String[] {"at-start", "at-last"}) {
            w.writeString(b(g));
            w.writeLen(0);
            w.writeLen(g.equals("at-start") ? 0 : 1);
            w.writeLen(0); // empty PEL
            w.writeLen(0); // no consumers
        }
        same(b("RESTORE"), b("old"), b("0"), payload(out));
        sameStream("old");
    }
}
