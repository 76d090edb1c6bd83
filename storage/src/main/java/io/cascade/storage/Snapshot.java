package io.cascade.storage;

import io.cascade.storage.rdb.RdbRecordWriter;
import io.cascade.storage.rdb.RdbType;
import io.cascade.storage.types.Bytes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A point-in-time RDB image of the whole dataset, made on the command thread a partition at a time between
 * commands, where Redis forks a child that shares the memory copy-on-write. Before a command changes a key
 * whose partition is not saved yet (or gets a value it may change in place), Keyspace's guards have this keep
 * that key's record as it is now (or that it did not exist), and the partition's save later uses the kept
 * record instead of the key's new state; so the image is the dataset as it was when the snapshot began, a
 * write costs one key's serialization rather than its partition's, and the extra memory is the records of the
 * keys written meanwhile plus the chunks not yet written out. The chunks go to a Sink (a file, or the sockets of
 * a batch of replicas), which writes them on its own thread and holds this snapshot back while it is behind.
 * Several snapshots may run at once (a BGSAVE, and replicas' transfers that began at different offsets): each
 * is a guard of its own, keeps its own records, and steps at its own sink's pace. Command thread only.
 */
public final class Snapshot implements Keyspace.Guard {
    /** Where the chunks go, in order. The snapshot waits while more than MAX_BACKLOG bytes are queued. */
    public interface Sink {
        void write(byte[] chunk);

        /** Bytes handed to write and not written out yet. */
        long backlog();

        /** After the last chunk: the EOF opcode has been written. */
        void finish();

        /** The snapshot was given up (a FLUSHALL does not do this; SHUTDOWN, a failed write, a new load do). */
        void abort();
    }

    /** What to put around and into the keys: AUX fields, compression, the access clocks to save. */
    public static final class Options {
        public boolean compression = true;
        /** AUX fields in order (Redis writes redis-ver, redis-bits, ctime, used-mem, repl-*, aof-base). */
        public final Map<String, String> aux = new LinkedHashMap<>();
        /** LRU idle seconds of a key (saved under an LRU maxmemory-policy), or null not to save them. */
        public KeyClock idle;
        /** LFU counter of a key (saved under an LFU policy), or null. */
        public KeyClock freq;
        /** rdb-key-save-delay: microseconds each key takes at least (tests use it to keep a save running). */
        public long keySaveDelayMicros;
        /** The function libraries' code, saved after the AUX fields as Redis 7.0 does (FUNCTION2 records). */
        public final List<byte[]> functions = new ArrayList<>();
    }

    /** An access-clock reading of a key (RDB IDLE or FREQ opcode); negative for none. */
    public interface KeyClock {
        long of(Keyspace db, byte[] key);
    }

    /**
     * A partition larger than this is saved a slice at a time by step(), read a Chronicle segment at a time, so
     * no step takes long (a whole partition of this size takes about 0.3 ms).
     */
    static final int SLICED_ABOVE = 512;
    /** Keys saved between two looks at the clock while slicing. */
    static final int SLICE_KEYS = 256;

    /** Bytes queued in the sink above which the snapshot stops stepping until the sink catches up. */
    static final long MAX_BACKLOG = 32L << 20;

    /** One database being saved: the partitions still to save and the sizes RESIZEDB announces. */
    private static final class Db {
        final Keyspace keyspace;
        /** The number when the snapshot began: a SWAPDB later moves the keyspace, not its image. */
        final int index;
        final boolean[] saved;
        /** Per unsaved partition, the keys changed since the start: their record then, or ABSENT. */
        final Map<Bytes, byte[]>[] preserved;
        final long size;
        final long expires;
        int left;
        boolean resized;

        Db(Keyspace keyspace) {
            this.keyspace = keyspace;
            this.index = keyspace.index();
            this.saved = new boolean[keyspace.store().partitions()];
            @SuppressWarnings("unchecked")
            Map<Bytes, byte[]>[] p = new Map[saved.length];
            this.preserved = p;
            this.left = saved.length;
            this.size = keyspace.size();
            this.expires = keyspace.expiresCount();
        }
    }

    private final List<Db> dbs = new ArrayList<>();
    private final Map<Keyspace, Db> byKeyspace = new IdentityHashMap<>();
    private final Options options;
    private final Sink sink;
    private final RdbRecordWriter records;
    /** Serializes one preserved key at a time. */
    private final RdbRecordWriter one;
    /** A preserved key that did not exist when the snapshot began (created since). */
    private static final byte[] ABSENT = new byte[0];
    private long preservedBytes;
    /**
     * The partition step() is saving a slice at a time, read a segment at a time in SCAN's order from
     * sliceCursor: a key changed before its segment is read is kept (its record of the start goes instead), one
     * not changed still has its value of the start, and SCAN's walk reaches every key present throughout, even
     * across a rebuild of the partition.
     */
    private Db sliceDb;
    private int slicePartition = -1;
    private long sliceCursor;
    /** The keys of that partition written already: a change to one of them needs nothing kept. */
    private final Set<Bytes> sliceDone = new HashSet<>();
    private final long startNanos = System.nanoTime();
    private final long keysTotal;
    private long keysSaved;
    private int lastDb = -1;
    private int cursorDb;
    private boolean done;

    /** Begins the snapshot: the header and AUX fields go out now, the keys as step() and the guards ask. */
    public Snapshot(Databases databases, Options options, Sink sink) {
        this.options = options;
        this.sink = sink;
        this.records = new RdbRecordWriter(options.compression);
        this.one = new RdbRecordWriter(options.compression);
        long total = 0;
        for (int i = 0; i < databases.count(); i++) {
            Keyspace ks = databases.db(i);
            if (ks.size() == 0) {
                continue; // Redis skips empty databases; keys written there later are after the snapshot
            }
            Db d = new Db(ks);
            dbs.add(d);
            byKeyspace.put(ks, d);
            ks.addGuard(this);
            total += d.size;
        }
        this.keysTotal = total;
        records.header(RdbType.RDB_VERSION);
        options.aux.forEach(records::aux);
        options.functions.forEach(records::function);
        emit();
    }

    public long keysTotal() {
        return keysTotal;
    }

    public long keysSaved() {
        return keysSaved;
    }

    public boolean isDone() {
        return done;
    }

    /**
     * Saves partitions in order for about budgetNanos (at least one, unless the sink is behind or the key save
     * delay holds it back). Returns true once the whole image has been handed to the sink.
     */
    public boolean step(long budgetNanos) {
        return step(budgetNanos, () -> false);
    }

    /**
     * As step(budgetNanos), but ends early, after a partition or a slice, once yield says so (a client's
     * request is waiting): the request then waits for one slice at most, not for the whole budget.
     */
    public boolean step(long budgetNanos, BooleanSupplier yield) {
        if (done) {
            return true;
        }
        long deadline = System.nanoTime() + budgetNanos;
        do {
            if (sink.backlog() > MAX_BACKLOG || delayed()) {
                return false;
            }
            if (sliceDb != null) {
                saveSlice(SLICE_KEYS);
                continue;
            }
            if (!saveNext(true)) {
                complete();
                return true;
            }
        } while (System.nanoTime() - deadline < 0 && !yield.getAsBoolean());
        return false;
    }

    /** Saves everything left now (SAVE, SHUTDOWN, or a change that needs the rest of the image first). */
    public void finish() {
        while (!done) {
            if (sliceDb != null) {
                saveSlice(Integer.MAX_VALUE);
            } else if (!saveNext(false)) {
                complete();
            }
        }
    }

    /** Gives the snapshot up: the guards go, the sink is told. */
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        removeGuards();
        sink.abort();
    }

    /** Bytes of the records kept for keys changed before their partition was saved (INFO, benchmarks). */
    public long preservedBytes() {
        return preservedBytes;
    }

    @Override
    public void beforeChange(Keyspace db, byte[] key) {
        Db d = byKeyspace.get(db);
        if (d == null) {
            return;
        }
        int p = db.store().partitionOf(key);
        if (d.saved[p]) {
            return;
        }
        Bytes k = new Bytes(key);
        if (sliceDb == d && slicePartition == p && sliceDone.contains(k)) {
            return; // written already with the value it had at the start
        }
        Map<Bytes, byte[]> kept = d.preserved[p];
        if (kept == null) {
            kept = new HashMap<>();
            d.preserved[p] = kept;
        }
        if (kept.containsKey(k)) {
            return; // its state at the start is kept already
        }
        Object value = db.store().get(key);
        byte[] record = ABSENT;
        if (value != null) {
            writeKey(one, db, key, value);
            record = one.take();
            preservedBytes += record.length;
        }
        kept.put(k, record);
    }

    @Override
    public void beforeClear(Keyspace db) {
        Db d = byKeyspace.get(db);
        if (d != null) {
            for (int p = 0; p < d.saved.length; p++) {
                savePartition(d, p);
            }
        }
    }

    /** rdb-key-save-delay: the keys saved so far may not have taken less than their delay each. */
    private boolean delayed() {
        long delay = options.keySaveDelayMicros;
        return delay > 0 && (System.nanoTime() - startNanos) / 1000 < keysSaved * delay;
    }

    /**
     * Saves the next partition in order (a large one only begins, when sliced); false when none is left.
     */
    private boolean saveNext(boolean slice) {
        while (cursorDb < dbs.size()) {
            Db d = dbs.get(cursorDb);
            if (d.left > 0) {
                for (int p = 0; p < d.saved.length; p++) {
                    if (!d.saved[p]) {
                        if (slice && d.keyspace.store().partitionSize(p) > SLICED_ABOVE) {
                            sliceDb = d;
                            slicePartition = p;
                            sliceCursor = 0;
                            saveSlice(SLICE_KEYS);
                        } else {
                            savePartition(d, p);
                        }
                        return true;
                    }
                }
            }
            cursorDb++;
        }
        return false;
    }

    /** Saves the whole of partition p now (a change that needs it, FLUSHDB, the end of the snapshot). */
    private void savePartition(Db d, int p) {
        if (d.saved[p]) {
            return;
        }
        if (sliceDb == d && slicePartition == p) {
            saveSlice(Integer.MAX_VALUE);
            return;
        }
        runHeader(d);
        Keyspace ks = d.keyspace;
        Map<Bytes, byte[]> kept = d.preserved[p];
        ks.store().forEachInPartition(p, (key, value) -> {
            if (kept != null && kept.containsKey(new Bytes(key))) {
                return; // changed since the start: its kept record goes instead
            }
            writeKey(records, ks, key, value);
            keysSaved++;
        });
        partitionSaved(d, p);
    }

    /**
     * At least max more keys of the partition being sliced (whole segments), each as it is now: unchanged since
     * the start, or kept and skipped here.
     */
    private void saveSlice(int max) {
        Db d = sliceDb;
        int p = slicePartition;
        runHeader(d);
        Keyspace ks = d.keyspace;
        long before = keysSaved;
        do {
            sliceCursor = ks.store().scanPartition(p, sliceCursor, (key, value) -> {
                Bytes k = new Bytes(key);
                Map<Bytes, byte[]> kept = d.preserved[p];
                if ((kept != null && kept.containsKey(k)) || !sliceDone.add(k)) {
                    return; // changed since the start, or met twice across a rebuild
                }
                writeKey(records, ks, key, value);
                keysSaved++;
            });
        } while (sliceCursor != 0 && keysSaved - before < max);
        if (sliceCursor == 0) {
            sliceDb = null;
            slicePartition = -1;
            sliceDone.clear();
            partitionSaved(d, p);
        } else {
            emit();
        }
    }

    /** Before keys of d: SELECTDB when the last keys were another database's, RESIZEDB once. */
    private void runHeader(Db d) {
        if (lastDb != d.index) {
            // a database's partitions may be interleaved with another's (a write forced one out of order):
            // each run says again which database its keys belong to
            records.selectDb(d.index);
            lastDb = d.index;
        }
        if (!d.resized) {
            records.resizeDb(d.size, d.expires);
            d.resized = true;
        }
    }

    /** Partition p of d is written but for the records kept of its changed keys: they go now. */
    private void partitionSaved(Db d, int p) {
        Map<Bytes, byte[]> kept = d.preserved[p];
        d.preserved[p] = null;
        d.saved[p] = true;
        d.left--;
        if (kept != null) {
            for (byte[] record : kept.values()) {
                if (record != ABSENT) {
                    records.raw(record);
                    preservedBytes -= record.length;
                    keysSaved++;
                }
            }
        }
        emit();
    }

    private void writeKey(RdbRecordWriter out, Keyspace ks, byte[] key, Object value) {
        long idle = options.idle == null ? -1 : options.idle.of(ks, key);
        long freq = options.freq == null ? -1 : options.freq.of(ks, key);
        out.key(key, value, ks.getExpire(key), idle, (int) freq);
    }

    private void complete() {
        records.eof();
        emit();
        done = true;
        removeGuards();
        sink.finish();
    }

    private void emit() {
        if (records.pending() > 0) {
            sink.write(records.take());
        }
    }

    private void removeGuards() {
        for (Db d : dbs) {
            d.keyspace.removeGuard(this);
        }
    }
}
