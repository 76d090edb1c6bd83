package io.cascade.storage.rdb;

import java.util.List;

/**
 * What RdbFileReader finds in an RDB file, in file order. Every method but key has a default that ignores the
 * event. Called on the thread that runs the reader (a loading thread; never the command thread for a big load).
 */
public interface RdbVisitor {
    /** A field TTL of a Redis 7.4 hash (absolute Unix ms); Cascade keeps the field without it. */
    record FieldTtl(byte[] field, long expireAtMs) {
    }

    /** The "REDIS00xx" header was read. */
    default void header(int rdbVersion) {
    }

    /** An AUX field (names are case-insensitive for the ones Redis understands; unknown ones are to be ignored). */
    default void aux(byte[] name, byte[] value) {
    }

    default void selectDb(int db) {
    }

    /** RESIZEDB: a sizing hint for the selected db. */
    default void resizeDb(long keys, long expires) {
    }

    /** SLOT_INFO (7.4 cluster mode): a sizing hint. */
    default void slotInfo(long slot, long keys, long expires) {
    }

    /**
     * One key of the selected db. {@code value} is a byte[] (string) or an RValue (RList, RSet, RZSet, RHash,
     * RStream) with the encoding Redis gives it after loading; {@code rdbType} the type byte it was saved with.
     * {@code expireAtMs} is absolute Unix ms or -1; {@code lruIdleSeconds} (IDLE) and {@code lfuFreq} (FREQ)
     * are -1 when absent.
     */
    void key(int db, byte[] key, int rdbType, Object value, long expireAtMs, long lruIdleSeconds, int lfuFreq);

    /**
     * Before key(): the hash being loaded had field TTLs (types 22-25), which Cascade cannot keep. {@code kept}
     * are the TTLs of the fields loaded; {@code expiredDropped} fields were left out as already expired. When
     * every field had expired, key() is not called for it (keyExpired is).
     */
    default void hashFieldTtls(int db, byte[] key, List<FieldTtl> kept, int expiredDropped) {
    }

    /** A key left out because its expire time had passed (only when the reader drops expired keys). */
    default void keyExpired(int db, byte[] key, long expireAtMs) {
    }

    /** A key left out because its aggregate value was empty (Redis >= 6.2 skips such keys as well). */
    default void emptyKeySkipped(int db, byte[] key, int rdbType, long offset) {
    }

    /** A function library (FUNCTION2; the pre-GA FUNCTION form is converted as Redis 7.0 does). */
    default void function(byte[] code) {
    }

    /**
     * Module data skipped: a MODULE_2 value ({@code key} set, {@code when} 0) or a MODULE_AUX record ({@code key}
     * null, {@code when} 1 = before the keyspace, 2 = after it). {@code offset} is where the record starts.
     */
    default void moduleSkipped(int db, byte[] key, String moduleName, int encver, int when, long offset) {
    }

    /** The EOF opcode and the checksum were read; {@code checksum} 0 means none was computed (or RDB < 5). */
    default void end(long checksum, boolean verified) {
    }
}
