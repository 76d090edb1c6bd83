package io.cascade.storage.types;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit numbering, BITPOS's padding rules and BITFIELD's overflow arithmetic, as in Redis's bitops.c. */
class BitmapsTest {
    private static final long[] LIMIT = new long[1];

    @Test
    void bitZeroIsTheHighBitOfTheFirstByte() {
        byte[] p = new byte[2];
        Bitmaps.set(p, 7, 5, 23); // Redis's own example: 5-bit 23 at offset 7 -> 00000001 01110000
        assertArrayEquals(new byte[] {0x01, 0x70}, p);
        assertEquals(23, Bitmaps.getUnsigned(p, 7, 5));
        assertEquals(-9, Bitmaps.getSigned(p, 7, 5));
    }

    @Test
    void sixtyFourBitFieldsRoundTrip() {
        byte[] p = new byte[10];
        Bitmaps.set(p, 3, 64, Long.MIN_VALUE + 5);
        assertEquals(Long.MIN_VALUE + 5, Bitmaps.getSigned(p, 3, 64));
        Bitmaps.set(p, 1, 63, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, Bitmaps.getUnsigned(p, 1, 63));
    }

    @Test
    void popcountAndBitpos() {
        byte[] p = {(byte) 0xff, (byte) 0xf0, 0, 1, 0, 0, 0, 0, 0, (byte) 0x80};
        assertEquals(14, Bitmaps.popcount(p, 0, p.length));
        assertEquals(1, Bitmaps.popcount(p, 2, 7));
        assertEquals(12, Bitmaps.bitpos(p, 0, p.length, 0));
        assertEquals(0, Bitmaps.bitpos(p, 0, p.length, 1));
        assertEquals(7, Bitmaps.bitpos(p, 3, 1, 1));
        assertEquals(-1, Bitmaps.bitpos(p, 4, 5, 1));
        assertEquals(8, Bitmaps.bitpos(new byte[] {(byte) 0xff}, 0, 1, 0)); // none: one past the end
    }

    @Test
    void unsignedOverflow() {
        assertEquals(0, Bitmaps.checkUnsignedOverflow(250, 5, 8, Bitmaps.WRAP, LIMIT));
        assertEquals(1, Bitmaps.checkUnsignedOverflow(250, 10, 8, Bitmaps.WRAP, LIMIT));
        assertEquals(4, LIMIT[0]);
        assertEquals(1, Bitmaps.checkUnsignedOverflow(250, 10, 8, Bitmaps.SAT, LIMIT));
        assertEquals(255, LIMIT[0]);
        assertEquals(-1, Bitmaps.checkUnsignedOverflow(5, -10, 8, Bitmaps.SAT, LIMIT));
        assertEquals(0, LIMIT[0]);
        assertEquals(-1, Bitmaps.checkUnsignedOverflow(5, -10, 8, Bitmaps.WRAP, LIMIT));
        assertEquals(251, LIMIT[0]);
        assertEquals(1, Bitmaps.checkUnsignedOverflow(-1, 0, 8, Bitmaps.WRAP, LIMIT)); // SET u8 -1
        assertEquals(255, LIMIT[0]);
    }

    @Test
    void signedOverflow() {
        assertEquals(1, Bitmaps.checkSignedOverflow(100, 100, 8, Bitmaps.WRAP, LIMIT));
        assertEquals(-56, LIMIT[0]);
        assertEquals(1, Bitmaps.checkSignedOverflow(100, 100, 8, Bitmaps.SAT, LIMIT));
        assertEquals(127, LIMIT[0]);
        assertEquals(-1, Bitmaps.checkSignedOverflow(-100, -100, 8, Bitmaps.SAT, LIMIT));
        assertEquals(-128, LIMIT[0]);
        assertEquals(1, Bitmaps.checkSignedOverflow(Long.MAX_VALUE, 1, 64, Bitmaps.WRAP, LIMIT));
        assertEquals(Long.MIN_VALUE, LIMIT[0]);
        assertEquals(-1, Bitmaps.checkSignedOverflow(Long.MIN_VALUE, -1, 64, Bitmaps.SAT, LIMIT));
        assertEquals(Long.MIN_VALUE, LIMIT[0]);
        assertEquals(0, Bitmaps.checkSignedOverflow(Long.MIN_VALUE, Long.MAX_VALUE, 64, Bitmaps.SAT, LIMIT));
        // Redis's wrapping max-value subtraction: SET i8 with -2^63 counts as an overflow upwards
        assertEquals(1, Bitmaps.checkSignedOverflow(Long.MIN_VALUE, 0, 8, Bitmaps.SAT, LIMIT));
        assertEquals(127, LIMIT[0]);
    }
}
