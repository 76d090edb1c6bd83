package io.cascade.storage;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.random.RandomGenerator;

/**
 * Where one database's keys and values physically live (off heap in Chronicle Map, or on heap), without
 * expiry or type logic: that is Keyspace's job. Values are byte[] (strings) or RValue collections; a store may
 * hand out a decoded copy, so a changed collection must be put back. Each key also carries its 24-bit access
 * field (AccessClock), kept with the value. Command thread only.
 */
public interface ValueStore extends AutoCloseable {
    /** The value, or null; no side effects. */
    Object get(byte[] key);

    /**
     * As get, and the key's access field becomes AccessClock.touched of it (Redis's lookupKey). The field is
     * rewritten only when that changes it: at most once a second per key under LRU.
     */
    Object getAndTouch(byte[] key);

    /** The key's access field, or -1 when the key is missing. No side effects. */
    int lru(byte[] key);

    /** Replaces the access field of an existing key (nothing when it is missing). */
    void setLru(byte[] key, int lru);

    boolean contains(byte[] key);

    /**
     * The array a string value is kept in, when the store holds it as is on the heap (the large strings), so
     * that a command may change bytes of it in place; null when the store keeps no such array (a decoded copy
     * would be lost). Never changes the length: a string that grows is set anew.
     */
    default byte[] liveString(byte[] key) {
        return null;
    }

    /**
     * Inserts or replaces. The key's access field becomes lru, except that with keepLru an existing key keeps
     * the one it has (a collection written back, or an overwrite under LFU).
     */
    void put(byte[] key, Object value, int lru, boolean keepLru);

    /** Inserts or replaces, with the access field of a new object. */
    default void put(byte[] key, Object value) {
        put(key, value, AccessClock.fresh(), false);
    }

    /**
     * As put, for a string a command built in place (SETRANGE, SETBIT, APPEND to a value, BITFIELD, PFADD):
     * builtInPlace then tells so until the key is written otherwise. Redis's object is raw after such a command
     * whatever its bytes, which OBJECT ENCODING shows.
     */
    void putBuiltInPlace(byte[] key, byte[] value, int lru, boolean keepLru);

    /** True when the key holds a string stored by putBuiltInPlace and not written since. */
    boolean builtInPlace(byte[] key);

    /** Returns true when the key was there. */
    boolean remove(byte[] key);

    long size();

    /**
     * The bytes the keys and values take (used_memory's dataset part): off-heap entries with their overhead, and
     * values on the heap as Footprint models them. Kept up to date by every write, so reading it costs nothing.
     */
    long usedMemory();

    void clear();

    /**
     * One SCAN step: visits at least the keys of the next bucket(s) after cursor, about count keys, and returns
     * the cursor to continue from, 0 at the end. Keys present for the whole scan are visited at least once.
     */
    long scan(long cursor, long count, Consumer<byte[]> visitor);

    /** A key chosen at random, or null when empty. */
    byte[] randomKey(RandomGenerator random);

    void forEach(BiConsumer<byte[], Object> visitor);

    /**
     * Up to count keys with their access fields, for eviction's sampling (Redis's dictGetSomeKeys: keys near one
     * another from a random place, cheaper than count random picks). The visitor must not change the store.
     */
    default void sample(RandomGenerator random, int count, ObjIntConsumer<byte[]> visitor) {
        for (int i = 0; i < count; i++) {
            byte[] k = randomKey(random);
            if (k == null) {
                return;
            }
            visitor.accept(k, lru(k));
        }
    }

    /** A hint that about n more keys are coming (an RDB load's RESIZEDB): size the tables for them now. */
    default void expectKeys(long n) {
    }

    /**
     * The store's keys are split into partitions by key hash (a snapshot is taken a partition at a time); a
     * store that does not split has one.
     */
    default int partitions() {
        return 1;
    }

    default int partitionOf(byte[] key) {
        return 0;
    }

    /**
     * Visits every key of one partition with its value (forEach for a store of one partition). The visitor may
     * read the store but not change it.
     */
    default void forEachInPartition(int partition, BiConsumer<byte[], Object> visitor) {
        forEach(visitor);
    }

    /**
     * One step through a partition's entries in SCAN's order: visits the next segment's entries with their values
     * and returns the cursor to go on from, 0 after the last. Every entry present from the first step to the
     * last is visited, some twice if the partition is rebuilt meanwhile (a snapshot saving a large partition a
     * slice at a time between commands). The visitor may read the store but not change it.
     */
    default long scanPartition(int partition, long cursor, BiConsumer<byte[], Object> visitor) {
        forEachInPartition(partition, visitor);
        return 0;
    }

    /** The number of keys in one partition. */
    default long partitionSize(int partition) {
        return size();
    }

    /**
     * True when get returns the stored object itself, so that a command may change it in place before it
     * writes it back (values on the heap); false when get hands out a decoded copy.
     */
    default boolean sharesValue(byte[] key) {
        return true;
    }

    @Override
    void close();
}
