package io.cascade.storage;

import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RValue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * One logical database: keys to typed values with optional expiry, as Redis's redisDb. Values are byte[] for
 * strings and RValue collections otherwise. Expiry is lazy on access plus an active cycle; on a replica
 * (expireDeletes false) expired keys are only hidden from reads, never deleted locally: the master's DEL
 * does that. Every change goes through set/update/delete, which tell the Listener (WATCH, snapshots, dirty
 * counter). Each key carries Redis's 24-bit access field (AccessClock): get touches it as lookupKey does,
 * getNoTouch and peek do not. Command thread only.
 */
public final class Keyspace {
    /** Told about every change of a key, after it happened. */
    public interface Listener {
        /** A key was written or deleted by a command (Redis's signalModifiedKey). */
        void modified(Keyspace db, byte[] key);

        /** A key that did not exist was added (Redis's dbAdd; its "new" event), before modified is told. */
        default void added(Keyspace db, byte[] key) {
        }

        /** A key was deleted because its time had come (lazily or by the active cycle): Redis propagates DEL. */
        default void expired(Keyspace db, byte[] key) {
        }
    }

    /**
     * Told before a key is changed, or handed out in a form a command may change in place, while a snapshot of
     * this keyspace is being taken: the snapshot saves the key's part of the keyspace first (Snapshot).
     */
    public interface Guard {
        void beforeChange(Keyspace db, byte[] key);

        /** Before every key goes at once (FLUSHDB, FLUSHALL, a load into this keyspace). */
        void beforeClear(Keyspace db);
    }

    private static final Listener NONE = (db, key) -> { };

    private final ValueStore store;
    private final ExpireIndex expires = new ExpireIndex();
    private final SplittableRandom random = new SplittableRandom();
    private Listener listener = NONE;
    /**
     * The snapshots of this keyspace in progress (a BGSAVE and replicas' transfers may run together); replaced,
     * never changed in place, so a guard may remove itself while the others are being told.
     */
    private Guard[] guards = NO_GUARDS;
    private static final Guard[] NO_GUARDS = {};
    /** The database number; changes on SWAPDB. */
    int index;
    /** False on a replica: expired keys are hidden but kept until the master deletes them. */
    private boolean expireDeletes = true;
    /** Set by Databases while a command from the master runs: nothing is expired for it. */
    boolean masterApplying;
    /**
     * Keys that a client of a writable replica gave an expire (Redis's slaveKeysWithExpire): no master will
     * send their DEL, so the replica expires these itself (expireOwnKeys). Null when there are none.
     */
    private Set<Bytes> ownExpires;

    public Keyspace(ValueStore store, int index) {
        this.store = store;
        this.index = index;
    }

    public int index() {
        return index;
    }

    public void setListener(Listener listener) {
        this.listener = listener == null ? NONE : listener;
    }

    /** A snapshot of this keyspace begins: it is told of every change until removeGuard. */
    public void addGuard(Guard guard) {
        Guard[] g = Arrays.copyOf(guards, guards.length + 1);
        g[guards.length] = guard;
        guards = g;
    }

    /** The snapshot is complete (or given up). */
    public void removeGuard(Guard guard) {
        for (int i = 0; i < guards.length; i++) {
            if (guards[i] == guard) {
                Guard[] g = new Guard[guards.length - 1];
                System.arraycopy(guards, 0, g, 0, i);
                System.arraycopy(guards, i + 1, g, i, g.length - i);
                guards = g;
                return;
            }
        }
    }

    /** How many snapshots of this keyspace are in progress (tests). */
    public int guards() {
        return guards.length;
    }

    /** The store, for the snapshot that walks it partition by partition. */
    ValueStore store() {
        return store;
    }

    private void beforeChange(byte[] key) {
        for (Guard g : guards) {
            g.beforeChange(this, key);
        }
    }

    /** A value handed out as the stored object itself may be changed in place by the caller. */
    private void beforeSharing(byte[] key) {
        if (guards.length > 0 && store.sharesValue(key)) {
            for (Guard g : guards) {
                g.beforeChange(this, key);
            }
        }
    }

    public void setExpireDeletes(boolean deletes) {
        this.expireDeletes = deletes;
        if (deletes) {
            ownExpires = null; // a master expires every key itself
        }
    }

    /** False on a replica (and while loading): an expire time in the past must not delete the key there. */
    public boolean expireDeletes() {
        return expireDeletes;
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    // ---- reads ----

    /**
     * The value, or null when missing or expired (deleting it on a master: Redis's expireIfNeeded). Updates the
     * key's access field, as Redis's lookupKey (LRU clock, or LFU counter).
     */
    public Object get(byte[] key) {
        if (expireIfNeeded(key)) {
            return null;
        }
        beforeSharing(key);
        return store.getAndTouch(key);
    }

    /** As get, leaving the access field alone: Redis's LOOKUP_NOTOUCH (OBJECT, TYPE, EXISTS, TTL, SCAN's TYPE). */
    public Object getNoTouch(byte[] key) {
        if (expireIfNeeded(key)) {
            return null;
        }
        beforeSharing(key);
        return store.get(key);
    }

    public boolean exists(byte[] key) {
        return !expireIfNeeded(key) && store.contains(key);
    }

    /** True when the key is still stored but its time has passed (only seen on a replica, or before access). */
    public boolean isExpired(byte[] key) {
        long when = expires.get(key);
        return when >= 0 && now() > when; // Redis's keyIsExpired: strictly after the expire time
    }

    /** The value without expiry checks or side effects (DEBUG, snapshots, digest). */
    public Object peek(byte[] key) {
        beforeSharing(key);
        return store.get(key);
    }

    /**
     * The stored array of a large string (over 16 KiB, kept as is on the heap), for SETBIT, SETRANGE and
     * BITFIELD to change bytes in place instead of copying the whole string; null for other values (then build
     * a new array and set it). Call after lookupWrite (no expiry here), never change the length, and call
     * modifiedInPlace after the change. Because of this, code that keeps a string value past its command (a
     * copy into another key or collection) must copy the array.
     */
    public byte[] liveString(byte[] key) {
        beforeChange(key);
        return store.liveString(key);
    }

    /** The key's raw 24-bit access field (robj->lru: DEBUG OBJECT's lru), or -1 when missing. No side effects. */
    public int lruField(byte[] key) {
        return store.lru(key);
    }

    /** Sets the raw access field of an existing key (RENAME and MOVE carry the object's field to the new name). */
    public void setLruField(byte[] key, int lru) {
        store.setLru(key, lru);
    }

    /**
     * Seconds since the key's last access (Redis's estimateObjectIdleTime / 1000: OBJECT IDLETIME, the RDB IDLE
     * opcode under an LRU policy), or -1 when missing. Does not touch the key or check its expiry.
     */
    public long idleSeconds(byte[] key) {
        int lru = store.lru(key);
        return lru < 0 ? -1 : AccessClock.idleMillis(lru) / 1000;
    }

    /**
     * The key's LFU counter after decay (LFUDecrAndReturn: OBJECT FREQ, the RDB FREQ opcode under an LFU
     * policy), or -1 when missing. Does not touch the key or check its expiry.
     */
    public int lfuFreq(byte[] key) {
        int lru = store.lru(key);
        return lru < 0 ? -1 : AccessClock.lfuDecrAndReturn(lru);
    }

    /**
     * Redis's objectSetLRUOrLFU for a key just created (RESTORE's IDLETIME/FREQ, the RDB IDLE/FREQ opcodes):
     * under an LFU policy sets the counter to lfuFreq (0..255) when it is >= 0, otherwise sets the last access
     * to lruIdleSeconds ago when that is >= 0; pass -1 for what was not given. True when the field was set.
     */
    public boolean setLruOrLfu(byte[] key, long lfuFreq, long lruIdleSeconds) {
        int lru = AccessClock.fieldFor(lfuFreq, lruIdleSeconds);
        if (lru < 0 || !store.contains(key)) {
            return false;
        }
        store.setLru(key, lru);
        return true;
    }

    /** Unix time in ms of the key's expire, or -1 when it has none. Call after checking the key exists. */
    public long getExpire(byte[] key) {
        return expires.get(key);
    }

    // ---- writes ----

    /**
     * Redis's setKey: the value replaces any old one and its expire is dropped unless keepTtl. The key gets a
     * new object's access field, except that under LFU an overwrite keeps the old one (dbOverwrite).
     */
    public void set(byte[] key, Object value, boolean keepTtl) {
        beforeChange(key);
        long before = store.size();
        store.put(key, value, AccessClock.fresh(), AccessClock.lfu());
        if (!keepTtl) {
            expires.remove(key);
        }
        if (store.size() > before) {
            listener.added(this, key);
        }
        listener.modified(this, key);
    }

    public void set(byte[] key, Object value) {
        set(key, value, false);
    }

    /**
     * A string a command built in place (SETRANGE, SETBIT, APPEND to a value, BITFIELD, PFADD), its expire
     * kept: Redis's object is raw then whatever its bytes, and OBJECT ENCODING says so (builtInPlace) until
     * the key is written otherwise. Access field as set's.
     */
    public void setBuiltInPlace(byte[] key, byte[] value) {
        beforeChange(key);
        long before = store.size();
        store.putBuiltInPlace(key, value, AccessClock.fresh(), AccessClock.lfu());
        if (store.size() > before) {
            listener.added(this, key);
        }
        listener.modified(this, key);
    }

    /**
     * Redis's dbUnshareStringValue where the bytes stay as they are (PFADD adding nothing, SETBIT of a bit
     * already so, PFCOUNT with a valid cache): the string counts as built in place from now on. Not a write: no
     * WATCH, no dirty, no event. Only a string of up to 44 bytes could read otherwise (embstr, int).
     */
    public void unshareString(byte[] key) {
        if (store.builtInPlace(key) || !(store.get(key) instanceof byte[] s) || s.length > 44) {
            return;
        }
        beforeChange(key);
        store.putBuiltInPlace(key, s, store.lru(key), true);
    }

    /** As set (expire dropped unless keepTtl), keeping a string's built-in-place mark when it had one. */
    public void set(byte[] key, Object value, boolean keepTtl, boolean builtInPlace) {
        if (builtInPlace && value instanceof byte[] s) {
            setBuiltInPlace(key, s); // tells the snapshot guards first, as set does
            if (!keepTtl) {
                expires.remove(key);
            }
        } else {
            set(key, value, keepTtl);
        }
    }

    /** True when the key's string was built in place by a command (setBuiltInPlace) and not written since. */
    public boolean builtInPlace(byte[] key) {
        return store.builtInPlace(key);
    }

    /**
     * Writes back a collection changed in place; its expire stays. An emptied collection is deleted, except a
     * stream: Redis keeps an empty stream (its last ID and groups still count).
     */
    public void update(byte[] key, RValue value) {
        if (value.size() == 0 && value.type() != RType.STREAM) {
            delete(key);
            return;
        }
        beforeChange(key);
        long before = store.size();
        store.put(key, value, AccessClock.fresh(), true); // the same object in Redis: its access field stays
        if (store.size() > before) {
            listener.added(this, key);
        }
        listener.modified(this, key);
    }

    /**
     * Stores a collection whose contents did not change, only its encoding (SORT converts a listpack sorted set
     * to a skiplist in place, and Redis signals nothing for it): no listener, the expire stays.
     */
    public void reencode(byte[] key, RValue value) {
        beforeChange(key);
        store.put(key, value, AccessClock.fresh(), true);
    }

    /** After a change in place in the array liveString returned: the listener is told as by set (WATCH, dirty). */
    public void modifiedInPlace(byte[] key) {
        listener.modified(this, key);
    }

    /** A hint that about n keys are about to be loaded (RDB RESIZEDB). */
    public void expectKeys(long n) {
        store.expectKeys(n);
    }

    /**
     * Adds a key without telling the listener (RDB load, full sync): the caller owns the whole keyspace. The key
     * gets a new object's access field; setLruOrLfu then applies the RDB's IDLE or FREQ.
     */
    public void load(byte[] key, Object value, long expireAt) {
        beforeChange(key);
        long before = store.size();
        store.put(key, value, AccessClock.fresh(), false);
        if (expireAt >= 0) {
            expires.set(key, expireAt);
        } else if (store.size() == before) {
            expires.remove(key); // it replaced a key (DEBUG RELOAD MERGE): the new one has no expire
        }
    }

    public boolean delete(byte[] key) {
        beforeChange(key);
        boolean had = store.remove(key);
        if (had) {
            expires.remove(key);
            listener.modified(this, key);
        }
        return had;
    }

    /** Sets the absolute expire time (ms) of an existing key. */
    public void setExpire(byte[] key, long whenMs) {
        beforeChange(key);
        expires.set(key, whenMs);
        listener.modified(this, key);
        if (!expireDeletes && !masterApplying) {
            if (ownExpires == null) {
                ownExpires = new HashSet<>();
            }
            ownExpires.add(new Bytes(key));
        }
    }

    /**
     * On a replica, once a second: deletes the keys its own clients gave an expire that has passed (Redis's
     * expireSlaveKeys) and forgets those that lost their expire or are gone. Returns the keys deleted.
     */
    public int expireOwnKeys() {
        if (ownExpires == null) {
            return 0;
        }
        long now = now();
        int deleted = 0;
        for (Iterator<Bytes> it = ownExpires.iterator(); it.hasNext(); ) {
            byte[] k = it.next().b;
            long when = expires.get(k);
            if (when < 0 || !store.contains(k)) {
                it.remove();
            } else if (now > when) {
                it.remove();
                expireNow(k);
                deleted++;
            }
        }
        return deleted;
    }

    /** INFO's slave_expires_tracked_keys: keys counted by expireOwnKeys. */
    public int ownExpiresTracked() {
        return ownExpires == null ? 0 : ownExpires.size();
    }

    /** Removes the expire; true when there was one. */
    public boolean persist(byte[] key) {
        beforeChange(key);
        boolean had = expires.remove(key);
        if (had) {
            listener.modified(this, key);
        }
        return had;
    }

    public void clear() {
        for (Guard g : guards) {
            g.beforeClear(this);
        }
        store.clear();
        expires.clear();
    }

    // ---- whole keyspace ----

    public long size() {
        return store.size();
    }

    public long expiresCount() {
        return expires.size();
    }

    /**
     * The bytes this database holds, for used_memory: the store's keys and values, and each key with a time to
     * live at EXPIRE_ENTRY (its index entry, hash-map node and slot, as Redis counts a dictEntry of db->expires).
     */
    public long usedMemory() {
        return store.usedMemory() + (long) expires.size() * EXPIRE_ENTRY;
    }

    private static final int EXPIRE_ENTRY = 24 + 32 + 16 + 8;

    /** One SCAN step over the keys (expired ones included: the caller filters as Redis's scanCallback does). */
    public long scan(long cursor, long count, Consumer<byte[]> visitor) {
        return store.scan(cursor, count, visitor);
    }

    /**
     * A key picked at random, expired or not, among all of them or only those with a time to live; null when there
     * is none. Eviction's sampling (dictGetSomeKeys, dictGetRandomKey): no side effects.
     */
    public byte[] sampleKey(boolean withExpire) {
        return withExpire ? expires.randomKey(random) : store.randomKey(random);
    }

    /**
     * Up to count keys with their access fields, expired or not, among all keys (a few near one another from a
     * random place, as dictGetSomeKeys) or among those with a time to live (random picks); eviction's pool
     * sampling. The visitor must not change this keyspace.
     */
    public void sampleKeys(boolean withExpire, int count, ObjIntConsumer<byte[]> visitor) {
        if (!withExpire) {
            store.sample(random, count, visitor);
            return;
        }
        for (int i = 0; i < count && !expires.isEmpty(); i++) {
            byte[] k = expires.randomKey(random);
            int lru = store.lru(k);
            if (lru >= 0) {
                visitor.accept(k, lru);
            }
        }
    }

    /** Redis's dbRandomKey: a random key that is not expired, or null. */
    public byte[] randomKey() {
        for (int tries = 0; tries < 100; tries++) {
            byte[] k = store.randomKey(random);
            if (k == null) {
                return null;
            }
            if (!isExpired(k)) {
                return k;
            }
            if (expireDeletes) {
                expireIfNeeded(k);
            } else if (tries > 50 && expires.size() == store.size()) {
                return k; // a replica whose keys all look expired: Redis returns one anyway rather than loop
            }
        }
        return store.randomKey(random);
    }

    public void forEach(java.util.function.BiConsumer<byte[], Object> visitor) {
        store.forEach(visitor);
    }

    /** What active expire cycles sampled and found, for INFO's expired_stale_perc and time-cap counter. */
    public static final class CycleCounts {
        public long sampled;
        public long expired;
        /** The cycle stopped at its time budget with expired keys still being found. */
        public boolean timedOut;
    }

    /**
     * One pass of Redis's active expire cycle on this database: samples keys with an expire and deletes the
     * expired ones, repeating while more than a quarter of a sample had expired, within timeBudgetNanos.
     * Returns the number of keys deleted; adds what it sampled and found to counts. Does nothing on a replica.
     */
    public int activeExpireCycle(long timeBudgetNanos, CycleCounts counts) {
        if (!expireDeletes || expires.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + timeBudgetNanos;
        int deleted = 0;
        while (true) {
            int sampled = 0;
            int expiredNow = 0;
            long now = now();
            for (int i = 0; i < 20 && !expires.isEmpty(); i++) {
                byte[] k = expires.randomKey(random);
                sampled++;
                long when = expires.get(k);
                if (when >= 0 && now > when) {
                    expireNow(k);
                    expiredNow++;
                }
            }
            deleted += expiredNow;
            counts.sampled += sampled;
            counts.expired += expiredNow;
            if (sampled == 0 || expiredNow * 4 <= sampled) {
                return deleted;
            }
            if (System.nanoTime() > deadline) {
                counts.timedOut = true;
                return deleted;
            }
        }
    }

    /**
     * Redis's expireIfNeeded: true when the key is past its time, which a master then deletes (with its DEL
     * propagated and counted). For a write that replaces the value without reading it (SET), as cheap as a
     * lookup in the expires index.
     */
    public boolean expireIfNeeded(byte[] key) {
        if (masterApplying) {
            return false;
        }
        long when = expires.get(key);
        if (when < 0 || now() <= when) {
            return false;
        }
        if (expireDeletes) {
            expireNow(key);
        }
        return true;
    }

    private void expireNow(byte[] key) {
        beforeChange(key);
        store.remove(key);
        expires.remove(key);
        listener.expired(this, key);
    }

    void close() {
        store.close();
        expires.clear();
    }
}
