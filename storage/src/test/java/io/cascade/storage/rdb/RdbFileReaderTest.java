package io.cascade.storage.rdb;

import io.cascade.storage.Databases;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RdbFileReader and RdbLoader on hand-made files: the layouts and errors the corpus does not pin down. */
class RdbFileReaderTest {
    /** Builds an RDB file: the header, then records given as hex or strings, then EOF and the CRC. */
    private static final class Rdb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Rdb(String version) {
            raw(("REDIS" + version).getBytes(StandardCharsets.US_ASCII));
        }

        Rdb hex(String h) {
            return raw(HexFormat.of().parseHex(h));
        }

        Rdb raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A string with a 6-bit length. */
        Rdb str(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b.length);
            return raw(b);
        }

        byte[] end(boolean crc) {
            out.write(0xff);
            byte[] body = out.toByteArray();
            if (!crc) {
                return body;
            }
            long c = Crc64.of(body);
            for (int i = 0; i < 8; i++) {
                out.write((int) (c >>> (8 * i)));
            }
            return out.toByteArray();
        }
    }

    private static Collected read(byte[] file) throws IOException {
        Collected c = new Collected();
        new RdbFileReader(new ByteArrayInputStream(file), c).read();
        return c;
    }

    private static String fails(byte[] file) {
        return assertThrows(RdbFormatException.class, () -> read(file)).getMessage();
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void versionsAndSignature() throws IOException {
        assertEquals("Can't handle RDB format version 13", fails(new Rdb("0013").end(true)));
        assertEquals("Can't handle RDB format version 0", fails(new Rdb("0000").end(true)));
        assertEquals("Can't handle RDB format version 0", fails(new Rdb("x012").end(true))); // atoi
        assertEquals("Wrong signature trying to load DB from file",
                fails("VALKEY080\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("Unexpected EOF reading RDB file at offset 7 (reading the RDB header, 2 more bytes needed)",
                fails("REDIS00".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(12, read(new Rdb("0012").end(true)).version);
        assertEquals(1, read(new Rdb("0001").end(false)).version); // no checksum before RDB 5
    }

    @Test
    void expireTimeSecondsNonMinimalLengthsAndIntKeys() throws IOException {
        byte[] f = new Rdb("0001")
                .hex("fd" + "00943577") // EXPIRETIME 2000000000 s, little endian int32
                .hex("00").str("k").str("v")
                .hex("00" + "c1" + "3930" + "c0" + "f9") // key "12345" (INT16), value "-7" (INT8)
                .hex("fe" + "8100000000000000" + "02") // SELECTDB 2 with a 9-byte length
                .hex("00" + "8100000000000000" + "01" + "61" + "8000000001" + "62") // 9- and 5-byte string lengths
                .end(false);
        Collected c = read(f);
        assertEquals(3, c.keys.size());
        assertEquals(2_000_000_000_000L, c.keys.get(0).expireAt());
        assertEquals(-1, c.keys.get(1).expireAt()); // the attributes apply to one key only
        assertEquals("12345", s(c.keys.get(1).key()));
        assertEquals("-7", s((byte[]) c.keys.get(1).value()));
        assertEquals(2, c.keys.get(2).db());
        assertEquals("b", s((byte[]) c.keys.get(2).value()));
        // a negative EXPIRETIME is a signed 32-bit number of seconds
        assertEquals(-1000L, read(new Rdb("0001").hex("fd" + "ffffffff").hex("00").str("k").str("v").end(false))
                .keys.get(0).expireAt());
    }

    @Test
    void idleFreqAndAttributeOrder() throws IOException {
        byte[] f = new Rdb("0010").hex("f8" + "05").hex("fc" + "0100000000000000").hex("00").str("a").str("1")
                .hex("f9" + "1e").hex("00").str("b").str("2").end(true);
        Collected c = read(f);
        assertEquals(5, c.keys.get(0).idle());
        assertEquals(-1, c.keys.get(0).freq());
        assertEquals(1, c.keys.get(0).expireAt());
        assertEquals(30, c.keys.get(1).freq());
        assertEquals(-1, c.keys.get(1).idle());
    }

    @Test
    void lzfStrings() throws IOException {
        String text = "abcabcabcabcabcabcabcabcabcabcabcabc";
        byte[] z = Lzf.compress(text.getBytes(StandardCharsets.US_ASCII), text.length() - 4);
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.write(0xc3);
        v.write(z.length);
        v.write(text.length());
        v.writeBytes(z);
        Collected c = read(new Rdb("0010").hex("00").str("k").raw(v.toByteArray()).end(true));
        assertEquals(text, s((byte[]) c.keys.get(0).value()));
        // a claimed length that no LZF stream of that size can produce: corrupt, before any allocation
        String m = fails(new Rdb("0010").hex("00").str("k").hex("c3" + "02" + "80" + "7fffffff" + "0061").end(true));
        assertTrue(m.startsWith("Invalid LZF compressed string"), m);
    }

    @Test
    void checksumMismatchAndZeroChecksum() throws IOException {
        byte[] good = new Rdb("0010").hex("00").str("k").str("v").end(true);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        long computed = Crc64.update(0, good, 0, good.length - 8);
        String m = fails(bad);
        assertTrue(m.startsWith("Wrong RDB checksum expected: (" + Long.toHexString(computed) + ") but got ("), m);
        byte[] zero = good.clone();
        Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
        Collected c = read(zero);
        assertEquals(0, c.checksum);
        assertTrue(!c.verified && c.keys.size() == 1);
        assertTrue(read(good).verified);
        Collected unchecked = new Collected();
        new RdbFileReader(new ByteArrayInputStream(bad), unchecked).verifyChecksum(false).read();
        assertEquals(1, unchecked.keys.size());
    }

    @Test
    void truncatedFileWithAnAbsurdLengthFailsAtEofWithTheOffset() {
        // a string claiming 2^31 - 32 bytes, of which 3 arrive: an EOF error, not a 2 GB allocation
        byte[] f = new Rdb("0010").hex("00").str("k").hex("80" + "7fffffe0" + "616263").out.toByteArray();
        String m = fails(f);
        assertEquals("Unexpected EOF reading RDB file at offset 20 (reading a string of 2147483616 bytes, "
                + "2147483613 more bytes needed) (in the value of key 'k', DB 0, type 0, starting at offset 12; "
                + "now at offset 20)", m);
        assertTrue(fails(new Rdb("0010").hex("00").str("k").hex("81" + "00000001" + "00000000").out.toByteArray())
                .startsWith("Bad length 4294967296"));
        // the same from a byte array (RESTORE's input): the same message, and nothing allocated
        RdbFileReader array = new RdbFileReader(RdbInput.of(f, 0, f.length), new Collected());
        assertEquals(m, assertThrows(RdbFormatException.class, array::read).getMessage());
    }

    @Test
    void unknownOpcodesAndTypes() {
        assertEquals("Unknown RDB opcode or object type 107 at offset 9 (not a Redis 7.4 file: a Redis Enterprise or"
                + " newer format?)", fails(new Rdb("0012").hex("6b01").end(true)));
        assertTrue(fails(new Rdb("0012").hex("08").str("k").end(true)).startsWith("Unknown RDB opcode or object type 8 "));
        assertTrue(fails(new Rdb("0010").hex("00").str("k").hex("c4").end(true))
                .startsWith("Unknown RDB string encoding type 4 at offset 12"));
    }

    @Test
    void modulesAreSkippedExceptPreGaValues() throws IOException {
        String id = "81" + "b5eb2dfffadd6c01"; // test__rdb, encver 1
        byte[] f = new Rdb("0010").hex("f7" + id + "02" + "01" + "00") // MODULE_AUX before, empty body
                .hex("07").str("m").hex(id + "02" + "05" + "05" + "05" + "hello".chars().collect(StringBuilder::new,
                        (b, ch) -> b.append(String.format("%02x", ch)), StringBuilder::append) + "03" + "0000c03f"
                        + "04" + "000000000000f83f" + "01" + "07" + "00")
                .hex("00").str("k").str("v").end(true);
        Collected c = read(f);
        assertEquals(2, c.modules.size());
        assertEquals(new Collected.Module(0, null, "test__rdb", 1, 1).toString().replace("null", "x"),
                c.modules.get(0).toString().replace("null", "x"));
        assertEquals("test__rdb", c.modules.get(1).name());
        assertEquals("m", s(c.modules.get(1).key()));
        assertEquals(1, c.keys.size());
        String m = fails(new Rdb("0010").hex("06").str("m").hex(id + "00").end(true));
        assertTrue(m.contains("pre-GA module value (type 6) of module 'test__rdb'"), m);
        m = fails(new Rdb("0010").hex("07").str("m").hex(id + "09").end(true));
        assertTrue(m.startsWith("Unknown module opcode 9 in the data of module 'test__rdb'"), m);
    }

    @Test
    void functionsBothForms() throws IOException {
        byte[] f = new Rdb("0010").hex("f5").str("#!lua name=a\nreturn 1")
                .hex("f6").str("b").str("LUA").hex("01").str("a description").str("return 2").end(true);
        Collected c = read(f);
        assertEquals(List.of("#!lua name=a\nreturn 1", "#!LUA name=b\nreturn 2"),
                c.functions.stream().map(RdbFileReaderTest::s).toList());
    }

    @Test
    void hashFieldTtlsAreReportedAndExpiredFieldsDropped() throws IOException {
        // type 24: min-expire 1000; f1 ttl 0 (none), f2 ttl 1 -> 1000, f3 ttl 5001 -> 6000
        byte[] f = new Rdb("0012").hex("18").str("h").hex("e803000000000000" + "03").hex("00").str("f1").str("v1")
                .hex("01").str("f2").str("v2").hex("5389").str("f3").str("v3").end(true);
        Collected keep = read(f);
        assertEquals(3, ((RHash) keep.keys.get(0).value()).size());
        assertEquals(Map.of("f2", 1000L, "f3", 6000L), keep.keys.get(0).fieldTtls());
        Collected drop = new Collected();
        new RdbFileReader(new ByteArrayInputStream(f), drop).dropExpiredBefore(5000).read();
        RHash h = (RHash) drop.keys.get(0).value();
        assertEquals(2, h.size());
        assertTrue(h.contains("f1".getBytes()) && h.contains("f3".getBytes()));
        Collected all = new Collected();
        new RdbFileReader(new ByteArrayInputStream(f), all).dropExpiredBefore(7000).read();
        assertEquals(1, all.keys.size()); // f1 has no TTL
    }

    @Test
    void emptyAggregatesAreSkippedAndDuplicatesAreErrors() throws IOException {
        Collected c = read(new Rdb("0010").hex("01").str("l").hex("00").hex("00").str("k").str("v").end(true));
        assertEquals(1, c.empty.size());
        assertEquals(1, c.keys.size());
        String m = fails(new Rdb("0010").hex("02").str("s").hex("02").str("a").str("a").end(true));
        assertTrue(m.startsWith("Duplicate set members detected (in the value of key 's'"), m);
        assertTrue(fails(new Rdb("0010").hex("04").str("h").hex("02").str("a").str("1").str("a").str("2").end(true))
                .startsWith("Duplicate hash fields detected"));
    }

    @Test
    void loaderOptionsAndResult() throws IOException {
        byte[] f = new Rdb("0010").hex("fa").str("repl-id").str("0123456789012345678901234567890123456789")
                .hex("fa").str("repl-offset").hex("c1" + "3930").hex("fa").str("repl-stream-db").hex("c0" + "03")
                .hex("fa").str("lua").str("return 1").hex("fa").str("AOF-base").hex("c0" + "01")
                .hex("fa").str("unknown-field").str("x")
                .hex("fe" + "01" + "fb" + "02" + "01")
                .hex("fc" + "e803000000000000").hex("00").str("old").str("v") // expired at 1000 ms
                .hex("f8" + "07").hex("01").str("l").hex("01").str("e").end(true);
        List<long[]> hooks = new ArrayList<>();
        List<long[]> progress = new ArrayList<>();
        Databases dbs = new Databases(16);
        RdbLoader.Result r = RdbLoader.load(new ByteArrayInputStream(f), dbs, new RdbLoader.Options()
                .clock(() -> 2000).keyHook((db, key, idle, freq) -> hooks.add(new long[] {db.index(), idle, freq}))
                .progress((bytes, keys) -> progress.add(new long[] {bytes, keys}), 1, 0));
        assertEquals(1, r.keysLoaded());
        assertEquals(1, r.keysExpired());
        assertEquals("0123456789012345678901234567890123456789", r.replId());
        assertEquals(12345, r.replOffset());
        assertEquals(3, r.replStreamDb());
        assertTrue(r.aofBase());
        assertTrue(!r.aux().containsKey("lua") && r.aux().containsKey("unknown-field"));
        assertEquals(f.length, r.bytesConsumed());
        assertEquals(List.of("e"), List.of(s(((RList) dbs.db(1).peek("l".getBytes())).get(0))));
        assertEquals(1, hooks.size());
        assertArrayEquals(new long[] {1, 7, -1}, hooks.get(0));
        assertTrue(progress.size() >= 2 && progress.get(progress.size() - 1)[0] == f.length);
        // a replica (or an AOF base) keeps the expired key
        Databases replica = new Databases(16);
        assertEquals(2, RdbLoader.load(new ByteArrayInputStream(f), replica, new RdbLoader.Options()
                .dropExpired(false).clock(() -> 2000)).keysLoaded());
        assertEquals(1000, replica.db(1).getExpire("old".getBytes()));
        // SELECTDB past "databases"
        RdbFormatException e = assertThrows(RdbFormatException.class,
                () -> RdbLoader.load(new ByteArrayInputStream(f), new Databases(1), new RdbLoader.Options()));
        assertTrue(e.getMessage().startsWith("FATAL: Data file was created with a Redis server configured to "
                + "handle more than 1 databases"), e.getMessage());
        e = assertThrows(RdbFormatException.class, () -> RdbLoader.load(new ByteArrayInputStream(f),
                new Databases(16), new RdbLoader.Options().maxDatabases(1)));
        assertTrue(e.getMessage().contains("more than 1 databases"), e.getMessage());
        byte[] dup = new Rdb("0010").hex("00").str("k").str("v").hex("00").str("k").str("w").end(true);
        e = assertThrows(RdbFormatException.class,
                () -> RdbLoader.load(new ByteArrayInputStream(dup), new Databases(16), new RdbLoader.Options()));
        assertTrue(e.getMessage().startsWith("RDB has duplicated key 'k' in DB 0"), e.getMessage());
    }

    @Test
    void stopsAfterTheChecksumAndKeepsWhatFollows() throws IOException {
        byte[] rdb = new Rdb("0010").hex("00").str("k").str("v").end(true);
        byte[] tail = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(rdb);
        all.writeBytes(tail);
        RdbFileReader r = new RdbFileReader(new ByteArrayInputStream(all.toByteArray()), new Collected());
        r.read();
        assertEquals(rdb.length, r.bytesConsumed());
        assertArrayEquals(tail, r.input().unconsumed());
        RdbInput in = RdbInput.of(new ByteArrayInputStream(all.toByteArray()));
        assertEquals(rdb.length, RdbLoader.load(in, new Databases(16), new RdbLoader.Options()).bytesConsumed());
        assertArrayEquals(tail, in.unconsumed());
        // a stream that would block after the RDB is never read past it
        InputStream blocking = new InputStream() {
            private int pos;

            @Override
            public int read() {
                throw new AssertionError("read past the RDB");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == rdb.length) {
                    throw new AssertionError("read past the RDB");
                }
                int n = Math.min(len, rdb.length - pos);
                System.arraycopy(rdb, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        RdbFileReader br = new RdbFileReader(blocking, new Collected());
        br.read();
        assertEquals(rdb.length, br.bytesConsumed());
    }
}
