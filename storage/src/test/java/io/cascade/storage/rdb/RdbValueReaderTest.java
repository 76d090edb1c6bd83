package io.cascade.storage.rdb;

import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RDB value reader on the encodings older Redis versions wrote, and on malformed values. */
class RdbValueReaderTest {
    /** A ziplist of "a", 1, "bb". */
    private static final String ZIPLIST = "14000000" + "0f000000" + "0300" + "000161" + "03f2" + "02" + "026262" + "ff";

    private static Object read(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        RdbValueReader r = new RdbValueReader(b, 0, b.length);
        return r.readObject(r.readObjectType());
    }

    private static List<String> elements(RList l) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(new String(l.get(i), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void ziplistListsAndQuicklistV1() {
        assertEquals(List.of("a", "1", "bb"), elements((RList) read("0a" + "14" + ZIPLIST)));
        assertEquals(List.of("a", "1", "bb", "a", "1", "bb"), elements((RList) read("0e" + "02" + "14" + ZIPLIST + "14" + ZIPLIST)));
        // every ziplist integer encoding: int8 -2, int16 300, int24 70000, int32 -2^31, int64 2^40, 4-bit 12
        String entries = "00" + "fe" + "fe" + "02" + "c0" + "2c01" + "03" + "f0" + "701101" + "04" + "d0" + "00000080"
                + "05" + "e0" + "0000000000010000" + "09" + "fd";
        int total = 10 + entries.length() / 2 + 1;
        String zl = String.format("%02x000000", total) + "00000000" + "0600" + entries + "ff";
        assertEquals(List.of("-2", "300", "70000", "-2147483648", "1099511627776", "12"),
                elements((RList) read("0a" + String.format("%02x", total) + zl)));
    }

    @Test
    void zipmapAndHashZiplistAndPlainTypes() {
        RHash zm = (RHash) read("09" + "08" + "01" + "0166" + "02" + "00" + "7676" + "ff");
        assertEquals("vv", new String(zm.get("f".getBytes()), StandardCharsets.UTF_8));
        RHash hz = (RHash) read("0d" + "11" + "11000000" + "0d000000" + "0200" + "000166" + "030176" + "ff");
        assertEquals("v", new String(hz.get("f".getBytes()), StandardCharsets.UTF_8));
        assertEquals(List.of("a", "5"), elements((RList) read("01" + "02" + "0161" + "c005")));
        RSet s = (RSet) read("02" + "02" + "0131" + "0178");
        assertTrue(s.contains("1".getBytes()) && s.contains("x".getBytes()) && !s.isIntset());
        RSet ints = (RSet) read("02" + "02" + "0131" + "c002");
        assertTrue(ints.isIntset());
    }

    @Test
    void malformedValuesAreRejected() {
        for (String bad : new String[] {
            "01" + "00",                      // an empty list
            "0e" + "01" + "0b" + "0b000000" + "0a000000" + "0000" + "ff", // a quicklist of one empty ziplist
            "02" + "02" + "0161" + "0161",    // a duplicate set member
            "04" + "02" + "0166" + "0176" + "0166" + "0177", // a duplicate hash field
            "00" + "c3" + "05" + "0a" + "0461626364", // LZF that does not decompress to its length
            "00" + "45",                      // a string longer than the data
            "03" + "01",                      // a sorted set: not supported yet
            "08",                             // not an object type
            "10" + "07" + "07000000" + "0000" + "fe", // a listpack without its terminator
            "0b" + "09" + "030000000100000005", // an intset with a bad encoding
        }) {
            assertThrows(RdbFormatException.class, () -> read(bad), bad);
        }
    }
}
