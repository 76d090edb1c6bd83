package io.cascade.storage;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The 24-bit access field every key carries, as Redis's robj->lru (evict.c): under an LFU maxmemory policy 16
 * bits of minutes (the last decrement time) and an 8-bit logarithmic counter; under any other policy the LRU
 * clock, Unix seconds mod 2^24. Static because the policy is server-wide and a process runs one server: the
 * server sets it on startup and CONFIG SET. Pure functions of the field and the time, plus the counter's
 * random draws; command thread only.
 */
public final class AccessClock {
    public static final int LRU_BITS = 24;
    public static final int LRU_CLOCK_MAX = (1 << LRU_BITS) - 1;
    /** Redis's LRU_CLOCK_RESOLUTION: one tick of the LRU clock, in ms. */
    public static final int LRU_CLOCK_RESOLUTION = 1000;
    /** The counter a new object starts with under LFU, so that it is not evicted before it had a chance. */
    public static final int LFU_INIT_VAL = 5;

    private static volatile boolean lfu;
    private static volatile boolean lru;
    private static volatile int lfuLogFactor = 10;
    private static volatile int lfuDecayTime = 1;
    private static LongSupplier millis = System::currentTimeMillis;
    private static RandomGenerator random = new SplittableRandom();

    private AccessClock() {
    }

    /** Applies maxmemory-policy, lfu-log-factor and lfu-decay-time (the server calls it on startup and CONFIG SET). */
    public static void configure(String policy, int logFactor, int decayTime) {
        lfu = policy.endsWith("-lfu"); // MAXMEMORY_FLAG_LFU: volatile-lfu, allkeys-lfu
        lru = policy.endsWith("-lru"); // MAXMEMORY_FLAG_LRU: volatile-lru, allkeys-lru
        lfuLogFactor = logFactor;
        lfuDecayTime = decayTime;
    }

    /** True under an LFU policy: the field holds minutes and a counter (OBJECT FREQ; the RDB FREQ opcode). */
    public static boolean lfu() {
        return lfu;
    }

    /** True under an LRU policy (the RDB writer then saves each key's IDLE opcode). */
    public static boolean lru() {
        return lru;
    }

    /** Tests: a fixed time source, and a seeded random for the counter. */
    static void setTimeSource(LongSupplier source) {
        millis = source;
    }

    static void seed(long seed) {
        random = new SplittableRandom(seed);
    }

    static void reset() {
        configure("noeviction", 10, 1);
        millis = System::currentTimeMillis;
        random = new SplittableRandom();
    }

    /** Redis's LRU_CLOCK(): now in seconds, wrapping at 24 bits. */
    public static int lruClock() {
        return (int) ((millis.getAsLong() / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX);
    }

    /** LFUGetTimeInMinutes: Unix minutes in 16 bits. */
    static int lfuMinutes() {
        return (int) ((millis.getAsLong() / 1000 / 60) & 65535);
    }

    /** The field of a new object (createObject). */
    public static int fresh() {
        return lfu ? (lfuMinutes() << 8) | LFU_INIT_VAL : lruClock();
    }

    /** The field after an access (lookupKey): the LRU clock, or under LFU the decayed then incremented counter. */
    public static int touched(int field) {
        if (!lfu) {
            return lruClock();
        }
        int counter = lfuLogIncr(lfuDecrAndReturn(field), random);
        return (lfuMinutes() << 8) | counter;
    }

    /**
     * estimateObjectIdleTime, in ms: the clock minus the field, unwrapped the way Redis does it (one tick short
     * after a wrap, as there). Meaningful under LRU; under LFU Redis computes it the same way from the LFU bits.
     */
    public static long idleMillis(int field) {
        long clock = lruClock();
        if (clock >= field) {
            return (clock - field) * LRU_CLOCK_RESOLUTION;
        }
        return (clock + (LRU_CLOCK_MAX - field)) * LRU_CLOCK_RESOLUTION;
    }

    /** LFUDecrAndReturn: the counter less one per lfu-decay-time minutes since the field's time (never below 0). */
    public static int lfuDecrAndReturn(int field) {
        int ldt = field >>> 8;
        int counter = field & 255;
        int now = lfuMinutes();
        long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        long periods = lfuDecayTime != 0 ? elapsed / lfuDecayTime : 0;
        if (periods != 0) {
            counter = periods > counter ? 0 : (int) (counter - periods);
        }
        return counter;
    }

    /** LFULogIncr: increments with probability 1/((counter - LFU_INIT_VAL) * lfu-log-factor + 1), saturating at 255. */
    static int lfuLogIncr(int counter, RandomGenerator r) {
        if (counter == 255) {
            return 255;
        }
        double draw = r.nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * lfuLogFactor + 1);
        return draw < p ? counter + 1 : counter;
    }

    /**
     * objectSetLRUOrLFU (RESTORE's IDLETIME/FREQ, the RDB's IDLE/FREQ opcodes): the field for the given frequency
     * (0..255) under LFU, or for the given idle seconds otherwise; -1 when the argument that applies is negative
     * (not given), and the field stays as it is.
     */
    public static int fieldFor(long lfuFreq, long lruIdleSeconds) {
        if (lfu) {
            return lfuFreq >= 0 ? (lfuMinutes() << 8) | (int) Math.min(255, lfuFreq) : -1;
        }
        if (lruIdleSeconds < 0) {
            return -1;
        }
        long idle = lruIdleSeconds * 1000 / LRU_CLOCK_RESOLUTION; // Redis scales by its clock's resolution
        long abs = lruClock() - idle;
        if (abs < 0) {
            abs += LRU_CLOCK_MAX; // as Redis: the wrap is undone (one tick short) by estimateObjectIdleTime
        }
        return (int) (abs & LRU_CLOCK_MAX); // a 24-bit field keeps the low bits of a larger idle time
    }
}
