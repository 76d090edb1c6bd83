package io.cascade.server.commands;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distinct random positions, by both strategies, are distinct, in range and uniformly spread. */
class RandomPicksTest {
    @Test
    void distinctPositionsCoverTheRangeUniformly() {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] sc : new int[][] {{10, 9}, {10, 3}, {100, 5}, {1000, 400}}) {
            int size = sc[0];
            int count = sc[1];
            int[] hits = new int[size];
            int rounds = 20_000;
            for (int round = 0; round < rounds; round++) {
                int[] picks = RandomPicks.distinct(size, count, r);
                assertEquals(count, picks.length);
                Set<Integer> seen = new HashSet<>();
                for (int p : picks) {
                    assertTrue(p >= 0 && p < size);
                    assertTrue(seen.add(p), "distinct");
                    hits[p]++;
                }
            }
            double expected = (double) rounds * count / size;
            for (int h : hits) {
                assertTrue(Math.abs(h - expected) < expected * 0.15 + 30, "uniform: " + h + " vs " + expected);
            }
        }
    }
}
