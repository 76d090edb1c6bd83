package io.cascade.conf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryUnitsTest {

    @Test
    void units() {
        assertEquals(5, MemoryUnits.parse("5"));
        assertEquals(5, MemoryUnits.parse("5b"));
        assertEquals(1000, MemoryUnits.parse("1k"));
        assertEquals(1024, MemoryUnits.parse("1kb"));
        assertEquals(1024, MemoryUnits.parse("1KB"));
        assertEquals(2_000_000, MemoryUnits.parse("2m"));
        assertEquals(2L << 20, MemoryUnits.parse("2Mb"));
        assertEquals(3_000_000_000L, MemoryUnits.parse("3g"));
        assertEquals(3L << 30, MemoryUnits.parse("3gB"));
    }

    @Test
    void cQuirks() {
        assertEquals(0, MemoryUnits.parse(""));
        assertEquals(0, MemoryUnits.parse("kb"));
        assertEquals(-1L, MemoryUnits.parse("99999999999999999999")); // strtoull saturates at 2^64-1
        assertEquals(Long.parseUnsignedLong("18446744073709551615") * 1024, MemoryUnits.parse("99999999999999999999kb"));
    }

    @Test
    void errors() {
        for (String bad : new String[] {"-1", "1x", " 1", "1 kb", "+1", "1.5mb", "1kbb", "1t"}) {
            assertFalse(MemoryUnits.isValid(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> MemoryUnits.parse(bad));
        }
        assertFalse(MemoryUnits.isValid("1".repeat(128)));
    }

    @Test
    void bytesToHuman() {
        assertEquals("0B", MemoryUnits.bytesToHuman(0));
        assertEquals("1023B", MemoryUnits.bytesToHuman(1023));
        assertEquals("1.00K", MemoryUnits.bytesToHuman(1024));
        assertEquals("512.00K", MemoryUnits.bytesToHuman(512 * 1024));
        assertEquals("1.50K", MemoryUnits.bytesToHuman(1536));
        assertEquals("1.00M", MemoryUnits.bytesToHuman(1 << 20));
        assertEquals("1.00G", MemoryUnits.bytesToHuman(1L << 30));
        assertEquals("1.00T", MemoryUnits.bytesToHuman(1L << 40));
        assertEquals("1.00P", MemoryUnits.bytesToHuman(1L << 50));
        assertEquals("1152921504606846976B", MemoryUnits.bytesToHuman(1L << 60));
        assertEquals("18446744073709551615B", MemoryUnits.bytesToHuman(-1L));
        assertEquals("1.17M", MemoryUnits.bytesToHuman(1_228_800 - 1)); // 1.1718...
    }

    @Test
    void rewriteFormat() {
        assertEquals("0", MemoryUnits.formatForRewrite(0));
        assertEquals("1gb", MemoryUnits.formatForRewrite(1L << 30));
        assertEquals("256mb", MemoryUnits.formatForRewrite(256L << 20));
        assertEquals("3kb", MemoryUnits.formatForRewrite(3072));
        assertEquals("1000", MemoryUnits.formatForRewrite(1000));
        assertEquals("1536kb", MemoryUnits.formatForRewrite(1536 * 1024));
    }
}
