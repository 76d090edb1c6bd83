package io.cascade.storage.types;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RList against a plain ArrayList model: random operations at both ends and in the middle, across wrap-arounds. */
class RListTest {
    private static byte[] b(String s) {
        return s.getBytes();
    }

    private static List<String> contents(RList l) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(new String(l.get(i)));
        }
        return out;
    }

    @Test
    void randomOperationsMatchAModel() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            RList l = new RList(rnd.nextInt(10));
            List<String> m = new ArrayList<>();
            for (int op = 0; op < 300; op++) {
                String v = Integer.toString(rnd.nextInt(6));
                int kind = rnd.nextInt(10);
                if (kind <= 1 || m.isEmpty()) {
                    l.addFirst(b(v));
                    m.add(0, v);
                } else if (kind == 2) {
                    l.addLast(b(v));
                    m.add(v);
                } else if (kind == 3) {
                    assertEquals(m.remove(0), new String(l.removeFirst()));
                } else if (kind == 4) {
                    assertEquals(m.remove(m.size() - 1), new String(l.removeLast()));
                } else if (kind == 5) {
                    int at = rnd.nextInt(m.size() + 1);
                    l.insert(at, b(v));
                    m.add(at, v);
                } else if (kind == 6) {
                    int at = rnd.nextInt(m.size());
                    assertEquals(m.remove(at), new String(l.remove(at)));
                } else if (kind == 7) {
                    long count = rnd.nextInt(5) - 2;
                    assertEquals(modelRemove(m, v, count), l.removeEqual(b(v), count));
                } else if (kind == 8) {
                    int at = rnd.nextInt(m.size());
                    l.set(at, b(v));
                    m.set(at, v);
                } else if (rnd.nextInt(10) == 0) {
                    int start = rnd.nextInt(m.size());
                    int end = start + rnd.nextInt(m.size() - start);
                    l.trim(start, end);
                    m = new ArrayList<>(m.subList(start, end + 1));
                }
                assertEquals(m, contents(l));
                assertEquals(m.indexOf("3"), l.indexOf(b("3"), 0));
            }
        }
    }

    /** LREM's semantics on the model: count > 0 from the head, < 0 from the tail, 0 all. */
    private static long modelRemove(List<String> m, String v, long count) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < m.size() && removed < limit; ) {
                if (m.get(i).equals(v)) {
                    m.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = m.size() - 1; i >= 0 && removed < limit; i--) {
                if (m.get(i).equals(v)) {
                    m.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Test
    void trimToNothingAndDropsAtBothEnds() {
        RList l = new RList();
        for (String s : List.of("a", "b", "c", "d", "e")) {
            l.addLast(b(s));
        }
        l.dropFirst(1);
        l.dropLast(2);
        assertEquals(List.of("b", "c"), contents(l));
        l.trim(1, 0);
        assertEquals(0, l.size());
        l.addFirst(b("x"));
        assertArrayEquals(b("x"), l.get(0));
        assertEquals("quicklist", l.encoding());
        assertEquals(-1, l.indexOf(b("y"), 0));
    }
}
