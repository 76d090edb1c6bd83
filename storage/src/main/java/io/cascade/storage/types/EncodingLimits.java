package io.cascade.storage.types;

/**
 * The *-max-listpack-* and set-max-intset-entries thresholds that decide which encoding Redis would use for a
 * collection or where a stream node ends (and so what OBJECT ENCODING says, what the RDB writer emits, and whether Cascade keeps the value
 * compact off heap). Static because every value consults them and a process runs one server; the server
 * updates them on startup and CONFIG SET. Written and read on the command thread.
 */
public final class EncodingLimits {
    public static volatile int hashMaxListpackEntries = 512; // Redis 7.0's built-in default (redis.conf says 128)
    public static volatile int hashMaxListpackValue = 64;
    public static volatile int setMaxIntsetEntries = 512;
    public static volatile int zsetMaxListpackEntries = 128;
    public static volatile int zsetMaxListpackValue = 64;
    /** list-max-listpack-size: positive = entries per quicklist node, negative = node size class (-2 = 8 kB). */
    public static volatile int listMaxListpackSize = -2;
    public static volatile int listCompressDepth = 0;
    /** stream-node-max-bytes / -entries: when streamAppendItem starts a new stream node (0 = no limit). */
    public static volatile long streamNodeMaxBytes = 4096;
    public static volatile long streamNodeMaxEntries = 100;
    /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this large get a plain node of their own. */
    public static volatile long quicklistPackedThreshold = 1L << 30;

    private EncodingLimits() {
    }
}
