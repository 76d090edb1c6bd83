package io.cascade.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 24-bit access field's arithmetic (evict.c's LRU clock and LFU counter) on a fixed time source. */
class AccessClockTest {
    private final long[] now = {0};

    AccessClockTest() {
        AccessClock.setTimeSource(() -> now[0]);
    }

    @AfterEach
    void reset() {
        AccessClock.reset();
    }

    private void at(long seconds) {
        now[0] = seconds * 1000;
    }

    @Test
    void lruClockIsSecondsWrappingAt24Bits() {
        at(1_700_000_000L);
        assertEquals((int) (1_700_000_000L & AccessClock.LRU_CLOCK_MAX), AccessClock.lruClock());
        at((1L << 24) + 5);
        assertEquals(5, AccessClock.lruClock());
        now[0] = 5_999;
        assertEquals(5, AccessClock.lruClock(), "one second resolution");
        assertEquals(5, AccessClock.fresh(), "a new object under LRU carries the clock");
    }

    @Test
    void idleTimeUnwrapsAsRedisDoes() {
        at(100);
        assertEquals(10_000, AccessClock.idleMillis(90));
        assertEquals(0, AccessClock.idleMillis(100));
        at(5);
        // after a wrap Redis adds LRU_CLOCK_MAX - lru: one second short of the true 9 s
        assertEquals(8_000, AccessClock.idleMillis(AccessClock.LRU_CLOCK_MAX - 3));
    }

    @Test
    void restoredIdleTimeUnderLru() {
        at(1000);
        assertEquals(990, AccessClock.fieldFor(-1, 10));
        assertEquals(-1, AccessClock.fieldFor(100, -1), "FREQ alone is ignored under LRU");
        int wrapped = AccessClock.fieldFor(-1, 2000);
        assertEquals(AccessClock.LRU_CLOCK_MAX - 1000, wrapped);
        assertEquals(2000 * 1000, AccessClock.idleMillis(wrapped));
        int huge = AccessClock.fieldFor(-1, 1L << 40);
        assertTrue(huge >= 0 && huge <= AccessClock.LRU_CLOCK_MAX, "a 24-bit field whatever the idle time");
    }

    @Test
    void lfuFieldIsMinutesAndCounter() {
        AccessClock.configure("allkeys-lfu", 10, 1);
        at(60L * 1000);
        assertEquals((1000 << 8) | AccessClock.LFU_INIT_VAL, AccessClock.fresh());
        assertEquals((1000 << 8) | 100, AccessClock.fieldFor(100, -1));
        assertEquals(-1, AccessClock.fieldFor(-1, 10), "IDLETIME alone is ignored under LFU");
        int field = (1000 << 8) | 20;
        assertEquals(20, AccessClock.lfuDecrAndReturn(field));
        at(60L * 1003 + 59);
        assertEquals(17, AccessClock.lfuDecrAndReturn(field), "one less per elapsed minute");
        AccessClock.configure("allkeys-lfu", 10, 2);
        assertEquals(19, AccessClock.lfuDecrAndReturn(field), "one less per lfu-decay-time minutes");
        AccessClock.configure("allkeys-lfu", 10, 0);
        assertEquals(20, AccessClock.lfuDecrAndReturn(field), "no decay with lfu-decay-time 0");
        AccessClock.configure("allkeys-lfu", 10, 1);
        at(60L * 2000);
        assertEquals(0, AccessClock.lfuDecrAndReturn(field), "never below zero");
        // the 16-bit minutes wrap: 65535 - ldt + now
        at(60L * (65536 + 2));
        assertEquals(20 - (65535 - 65530 + 2), AccessClock.lfuDecrAndReturn((65530 << 8) | 20));
    }

    @Test
    void touchUnderLfuDecaysThenIncrements() {
        AccessClock.configure("allkeys-lfu", 0, 1);
        at(60L * 1000);
        int field = AccessClock.fresh();
        for (int i = 0; i < 10; i++) {
            field = AccessClock.touched(field);
        }
        assertEquals((1000 << 8) | 15, field, "lfu-log-factor 0: every access counts");
        at(60L * 1004);
        assertEquals((1004 << 8) | 12, AccessClock.touched(field), "4 minutes of decay, then +1, stamped now");
        for (int i = 0; i < 300; i++) {
            field = AccessClock.touched(field);
        }
        assertEquals(255, field & 255, "saturates at 255");
    }

    @Test
    void counterFollowsTheLogarithmicLaw() {
        AccessClock.configure("allkeys-lfu", 10, 1);
        SplittableRandom r = new SplittableRandom(42);
        assertEquals(6, AccessClock.lfuLogIncr(5, r), "at or below LFU_INIT_VAL the increment is certain");
        assertEquals(255, AccessClock.lfuLogIncr(255, r));
        // at counter 15 the probability is 1/((15-5)*10+1) = 1/101
        int hits = 0;
        for (int i = 0; i < 101_000; i++) {
            hits += AccessClock.lfuLogIncr(15, r) - 15;
        }
        assertTrue(hits > 900 && hits < 1100, "about 1000 increments in 101000 draws, got " + hits);
        // Redis's table for lfu-log-factor 10: about 10 after 100 hits, 18 after 1000, 142 after 100K
        int counter = 0;
        for (int i = 1; i <= 100_000; i++) {
            counter = AccessClock.lfuLogIncr(counter, r);
            if (i == 1000) {
                assertTrue(counter >= 15 && counter <= 22, "after 1000 hits " + counter);
            }
        }
        assertTrue(counter >= 130 && counter <= 155, "after 100K hits " + counter);
    }

    @Test
    void policies() {
        AccessClock.configure("volatile-lru", 10, 1);
        assertTrue(AccessClock.lru() && !AccessClock.lfu());
        AccessClock.configure("volatile-lfu", 10, 1);
        assertTrue(AccessClock.lfu() && !AccessClock.lru());
        AccessClock.configure("allkeys-random", 10, 1);
        assertTrue(!AccessClock.lfu() && !AccessClock.lru());
    }
}
