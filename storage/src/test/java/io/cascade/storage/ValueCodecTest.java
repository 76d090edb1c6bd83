package io.cascade.storage;

import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import org.junit.jupiter.api.Test;

import static io.cascade.storage.Values.b;
import static io.cascade.storage.Values.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ValueCodec round trips for every type and its edge cases. */
class ValueCodecTest {
    private static Object roundTrip(Object v) {
        Object back = ValueCodec.decode(ValueCodec.encode(v));
        assertEquals(describe(v), describe(back));
        return back;
    }

    @Test
    void strings() {
        roundTrip(new byte[0]);
        roundTrip(b("hello"));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        roundTrip(all);
        roundTrip(new byte[] {ValueCodec.HEAP}); // a one-byte string equal to the marker byte is still a string
        assertFalse(ValueCodec.isHeapMarker(ValueCodec.encode(new byte[] {ValueCodec.HEAP})));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 'a'}, ValueCodec.encode(b("a")),
                "the type byte and a zero access field, then the bytes");
        assertFalse(ValueCodec.isHeapMarker(ValueCodec.encode(new byte[0])), "an empty string is not the marker");
    }

    @Test
    void lists() {
        roundTrip(new RList());
        RList l = new RList();
        l.addLast(new byte[0]);
        l.addLast(b("x"));
        l.addFirst(new byte[300]); // a length needing a two-byte varint
        l.addLast(new byte[] {(byte) 0xff, 0, (byte) 0x80});
        roundTrip(l);
        RList big = new RList();
        for (int i = 0; i < 1000; i++) {
            big.addLast(b("e" + i));
        }
        roundTrip(big);
    }

    @Test
    void hashesKeepOrderAndEncoding() {
        RHash h = new RHash();
        h.put(b("z"), b("1"));
        h.put(b("a"), new byte[0]);
        h.put(new byte[0], b("empty field"));
        h.put(new byte[] {0, (byte) 0xfe}, new byte[] {(byte) 0x80});
        RHash back = (RHash) roundTrip(h);
        assertFalse(back.isHashtable());

        h.convertToHashtable();
        back = (RHash) roundTrip(h);
        assertTrue(back.isHashtable());

        RHash large = new RHash();
        large.put(b("f"), new byte[EncodingLimits.hashMaxListpackValue + 1]); // converted by size
        assertTrue(((RHash) roundTrip(large)).isHashtable());
    }

    @Test
    void intsets() {
        RSet s = new RSet();
        for (long v : new long[] {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, -4611686018427387904L, 127, 128,
                -128, 1L << 40, 42}) {
            s.add(b(Long.toString(v)));
        }
        assertTrue(s.isIntset());
        RSet back = (RSet) roundTrip(s);
        assertTrue(back.isIntset());
        assertTrue(back.contains(b("-9223372036854775808")));
        assertTrue(((RSet) roundTrip(new RSet())).isIntset());
        RSet one = new RSet();
        one.add(b("-5"));
        roundTrip(one);
    }

    @Test
    void hashtableSets() {
        RSet s = new RSet();
        s.add(b("1"));
        s.add(b("2"));
        s.convertToHashtable(); // integers only, but converted (as after an RDB load of a hashtable set)
        RSet back = (RSet) roundTrip(s);
        assertFalse(back.isIntset());

        RSet words = new RSet();
        words.add(b("5"));
        words.add(b("apple"));
        words.add(new byte[0]);
        words.add(new byte[] {(byte) 0xff});
        assertFalse(((RSet) roundTrip(words)).isIntset());
    }
}
