package io.cascade.storage.types;

/**
 * jemalloc's size classes, which Redis's zmalloc_size reports and listpack growth follows (lp_malloc_size):
 * 8, multiples of 16 up to 128, then four classes per doubling. Pure function, any thread.
 */
public final class Jemalloc {
    private Jemalloc() {
    }

    /** The usable size of an allocation of n bytes. */
    public static long usable(long n) {
        if (n <= 8) {
            return 8;
        }
        if (n <= 128) {
            return (n + 15) & ~15L;
        }
        long group = Long.highestOneBit(n - 1); // n lies in (group, 2*group]
        long step = group / 4;
        return (n + step - 1) / step * step;
    }
}
