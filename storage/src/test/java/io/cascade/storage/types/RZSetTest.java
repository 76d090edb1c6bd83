package io.cascade.storage.types;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RZSet against a plain model (a sorted list of (score, member)), and its encoding rules. */
class RZSetTest {
    private static final int ENTRIES = EncodingLimits.zsetMaxListpackEntries;
    private static final int VALUE = EncodingLimits.zsetMaxListpackValue;

    @AfterEach
    void restoreLimits() {
        EncodingLimits.zsetMaxListpackEntries = ENTRIES;
        EncodingLimits.zsetMaxListpackValue = VALUE;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private record E(double score, String member) {
    }

    private static final Comparator<E> ORDER = Comparator.comparingDouble(E::score)
            .thenComparing((x, y) -> Arrays.compareUnsigned(b(x.member), b(y.member)));

    /** The model: member -> score plus the sorted entries. */
    private static final class Model {
        final Map<String, Double> scores = new HashMap<>();
        final TreeSet<E> sorted = new TreeSet<>(ORDER);

        boolean add(String m, double s) {
            Double old = scores.put(m, s);
            if (old != null) {
                sorted.remove(new E(old, m));
            }
            sorted.add(new E(s, m));
            return old == null;
        }

        boolean remove(String m) {
            Double old = scores.remove(m);
            if (old != null) {
                sorted.remove(new E(old, m));
            }
            return old != null;
        }

        List<E> list() {
            return new ArrayList<>(sorted);
        }
    }

    private static List<E> entries(RZSet z) {
        List<E> out = new ArrayList<>();
        z.forEach((m, s) -> out.add(new E(s, new String(m, StandardCharsets.ISO_8859_1))));
        return out;
    }

    private static List<E> walk(ZNode from, ZNode to) {
        List<E> out = new ArrayList<>();
        if (from == null) {
            return out;
        }
        for (ZNode n = from; ; n = n.next()) {
            out.add(new E(n.score(), new String(n.member(), StandardCharsets.ISO_8859_1)));
            if (n == to) {
                return out;
            }
        }
    }

    @Test
    void randomOperationsAgreeWithTheModel() {
        EncodingLimits.zsetMaxListpackEntries = 16; // both encodings get exercised
        Random rnd = new Random(7);
        double[] scores = {Double.NEGATIVE_INFINITY, -2.5, -1, 0, 0.1, 1, 1, 2, 3.75, Double.POSITIVE_INFINITY};
        for (int round = 0; round < 40; round++) {
            RZSet z = new RZSet();
            Model m = new Model();
            for (int op = 0; op < 400; op++) {
                String member = "m" + rnd.nextInt(60);
                double score = rnd.nextBoolean() ? scores[rnd.nextInt(scores.length)] : rnd.nextInt(20) / 4.0;
                int kind = rnd.nextInt(10);
                if (kind < 6) {
                    assertEquals(m.add(member, score), z.add(b(member), score));
                } else if (kind < 8) {
                    assertEquals(m.remove(member), z.remove(b(member)));
                } else if (kind == 8) {
                    double lo = scores[rnd.nextInt(scores.length)];
                    double hi = scores[rnd.nextInt(scores.length)];
                    ZRange.Score r = new ZRange.Score(lo, rnd.nextBoolean(), hi, rnd.nextBoolean());
                    List<E> expected = m.list().stream().filter(e -> r.gteMin(e.score) && r.lteMax(e.score)).toList();
                    assertEquals(expected.size(), z.count(r));
                    if (rnd.nextBoolean()) {
                        assertEquals(expected, walk(z.firstInRange(r), z.lastInRange(r)));
                    } else {
                        assertEquals(expected.size(), z.removeRangeByScore(r));
                        expected.forEach(e -> m.remove(e.member));
                    }
                } else {
                    long start = rnd.nextInt(12) - 2;
                    long end = rnd.nextInt(12) - 2;
                    List<E> all = m.list();
                    int from = (int) Math.max(0, start);
                    int to = (int) Math.min(end, all.size() - 1);
                    List<E> expected = from > to ? List.of() : all.subList(from, to + 1);
                    if (rnd.nextBoolean()) {
                        assertEquals(expected, from > to ? List.of() : walk(z.byRank(from), z.byRank(to)));
                    } else {
                        assertEquals(expected.size(), z.removeRangeByRank(start, end));
                        new ArrayList<>(expected).forEach(e -> m.remove(e.member));
                    }
                }
                assertEquals(m.scores.size(), z.size());
            }
            List<E> all = m.list();
            assertEquals(all, entries(z));
            List<E> reversed = new ArrayList<>();
            z.forEachReverse((mem, s) -> reversed.add(0, new E(s, new String(mem, StandardCharsets.ISO_8859_1))));
            assertEquals(all, reversed);
            for (int i = 0; i < all.size(); i++) {
                E e = all.get(i);
                assertEquals(i, z.rank(b(e.member), false));
                assertEquals(all.size() - 1 - i, z.rank(b(e.member), true));
                assertEquals(e.score, z.score(b(e.member)));
                assertEquals(e.member, new String(z.byRank(i).member(), StandardCharsets.ISO_8859_1));
            }
            assertEquals(-1, z.rank(b("absent"), false));
            assertNull(z.score(b("absent")));
            assertNull(z.byRank(all.size()));
            assertEquals(all, entries(z.copy()));
            assertEquals(z.encoding(), z.copy().encoding());
        }
    }

    @Test
    void equalScoresOrderByMemberBytesUnsigned() {
        RZSet z = new RZSet();
        for (String m : new String[] {"b", "\u00ff", "a", "ab", "", "A"}) {
            z.add(b(m), 1);
        }
        z.add(b("z"), 0);
        List<String> order = entries(z).stream().map(E::member).toList();
        assertEquals(List.of("z", "", "A", "a", "ab", "b", "\u00ff"), order);
    }

    @Test
    void lexRanges() {
        RZSet z = new RZSet();
        for (String m : new String[] {"a", "b", "c", "d", "e"}) {
            z.add(b(m), 0);
        }
        assertEquals(5, z.lexCount(ZRange.Lex.parse(b("-"), b("+"))));
        assertEquals(3, z.lexCount(ZRange.Lex.parse(b("[b"), b("[d"))));
        assertEquals(1, z.lexCount(ZRange.Lex.parse(b("(b"), b("(d"))));
        assertEquals(0, z.lexCount(ZRange.Lex.parse(b("+"), b("+"))));
        assertEquals(0, z.lexCount(ZRange.Lex.parse(b("[d"), b("[b"))));
        assertEquals("c", new String(z.lastInLexRange(ZRange.Lex.parse(b("-"), b("(d"))).member()));
        assertEquals("b", new String(z.firstInLexRange(ZRange.Lex.parse(b("(a"), b("+"))).member()));
        assertNull(ZRange.Lex.parse(b("a"), b("+")));
        assertNull(ZRange.Lex.parse(b("-x"), b("+")));
        assertNull(ZRange.Lex.parse(b(""), b("+")));
        assertEquals(2, z.removeRangeByLex(ZRange.Lex.parse(b("[b"), b("(d"))));
        assertEquals(List.of("a", "d", "e"), entries(z).stream().map(E::member).toList());
    }

    @Test
    void encodingFollowsZaddRules() {
        EncodingLimits.zsetMaxListpackEntries = 3;
        EncodingLimits.zsetMaxListpackValue = 4;
        RZSet z = RZSet.createFor(b("abcd"));
        assertEquals("listpack", z.encoding());
        assertEquals("skiplist", RZSet.createFor(b("abcde")).encoding());
        z.add(b("a"), 1);
        z.add(b("b"), 2);
        z.add(b("c"), 3);
        z.add(b("c"), 4); // an update never converts
        assertEquals("listpack", z.encoding());
        z.add(b("d"), 5);
        assertEquals("skiplist", z.encoding());
        z.remove(b("d"));
        z.remove(b("c"));
        assertEquals("skiplist", z.encoding()); // never back on removal
        assertTrue(z.convertToListpackIfNeeded());
        assertEquals("listpack", z.encoding());
        z.add(b("long member"), 1);
        assertEquals("skiplist", z.encoding());
        assertFalse(z.convertToListpackIfNeeded());
        EncodingLimits.zsetMaxListpackEntries = 0;
        assertEquals("skiplist", RZSet.createFor(b("a")).encoding());
        assertThrows(IllegalArgumentException.class, () -> new RZSet().add(b("x"), Double.NaN));
    }

    @Test
    void aListpackHoldsNoNegativeZero() {
        RZSet lp = new RZSet();
        lp.add(b("x"), -0.0);
        assertEquals(0, Double.doubleToRawLongBits(lp.score(b("x")))); // +0, as Redis's integer entry 0 reads back
        RZSet sl = RZSet.createSkiplist();
        sl.add(b("x"), -0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(sl.score(b("x"))));
        sl.add(b("x"), 0.0); // equal scores: nothing changes
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(sl.score(b("x"))));
        sl.convertToListpackIfNeeded();
        assertEquals(0, Double.doubleToRawLongBits(sl.score(b("x"))));
    }

    @Test
    void scanVisitsEveryMemberPresentThroughout() {
        RZSet z = RZSet.createSkiplist();
        for (int i = 0; i < 500; i++) {
            z.add(b("k" + i), i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = z.scanStep(cursor, n -> seen.add(new String(n.member())));
            // grow and shrink the table in between: members k0..k99 stay throughout
            if (step++ == 3) {
                for (int i = 500; i < 3000; i++) {
                    z.add(b("k" + i), i);
                }
            } else if (step == 40) {
                for (int i = 100; i < 3000; i++) {
                    z.remove(b("k" + i));
                }
            }
        } while (cursor != 0);
        for (int i = 0; i < 100; i++) {
            assertTrue(seen.contains("k" + i), "k" + i);
        }
    }

    @Test
    void randomPicksAreMembers() {
        RZSet z = new RZSet();
        assertNull(z.random(new Random(1)));
        for (int i = 0; i < 10; i++) {
            z.add(b("m" + i), i);
        }
        Set<String> seen = new HashSet<>();
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            seen.add(new String(z.random(r).member()));
        }
        assertEquals(10, seen.size());
    }
}
