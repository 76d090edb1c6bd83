package io.cascade.storage;

/**
 * Redis's SCAN cursor arithmetic (dictScan): buckets are visited in reverse-binary order, so that a table that
 * grows or shrinks between calls never makes a scan miss a key that was there throughout. Pure functions.
 */
public final class ScanCursor {
    private ScanCursor() {
    }

    /** The bucket after {@code cursor} in a table of 2^bits buckets; 0 when the scan is complete. */
    public static long next(long cursor, int bits) {
        long mask = (1L << bits) - 1;
        long v = cursor | ~mask;       // set the bits above the mask so the increment carries past them
        v = Long.reverse(v);
        v++;
        v = Long.reverse(v);
        return v & mask;
    }
}
