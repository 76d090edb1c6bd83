package io.cascade.storage;

import java.util.function.IntFunction;

/** The whole dataset: the numbered databases ("databases" directive). Owned by the command thread. */
public final class Databases {
    private final Keyspace[] dbs;
    private Keyspace.Listener listener;

    public Databases(int count) {
        this(count, i -> new HeapStore());
    }

    public Databases(int count, IntFunction<ValueStore> stores) {
        dbs = new Keyspace[count];
        for (int i = 0; i < count; i++) {
            dbs[i] = new Keyspace(stores.apply(i), i);
        }
    }

    public int count() {
        return dbs.length;
    }

    public Keyspace db(int index) {
        return dbs[index];
    }

    public void setListener(Keyspace.Listener listener) {
        this.listener = listener;
        for (Keyspace db : dbs) {
            db.setListener(listener);
        }
    }

    /** The bytes every database holds (Keyspace.usedMemory summed): the dataset's part of used_memory. */
    public long usedMemory() {
        long n = 0;
        for (Keyspace db : dbs) {
            n += db.usedMemory();
        }
        return n;
    }

    /** SWAPDB: the two databases trade contents (clients stay on their numbers). */
    public void swap(int a, int b) {
        Keyspace t = dbs[a];
        dbs[a] = dbs[b];
        dbs[b] = t;
        dbs[a].index = a;
        dbs[b].index = b;
    }

    /** On a replica expired keys are hidden from reads but never deleted locally (the master's DEL does it). */
    public void setExpireDeletes(boolean deletes) {
        for (Keyspace db : dbs) {
            db.setExpireDeletes(deletes);
        }
    }

    /**
     * True while a command from the master runs: no key counts as expired then (Redis's expireIfNeeded for
     * server.master), so the master's commands act on exactly the keys the master still has.
     */
    public void setMasterApplying(boolean applying) {
        for (Keyspace db : dbs) {
            db.masterApplying = applying;
        }
    }

    /**
     * A full sync's end: every database takes the contents of {@code fresh} (loaded on another thread, no
     * longer used there) and the old contents are closed. Listener and expiry mode stay this dataset's.
     */
    public void adopt(Databases fresh) {
        if (fresh.dbs.length != dbs.length) {
            throw new IllegalArgumentException("database count differs: " + fresh.dbs.length + " != " + dbs.length);
        }
        for (int i = 0; i < dbs.length; i++) {
            Keyspace old = dbs[i];
            Keyspace next = fresh.dbs[i];
            next.index = i;
            next.setListener(listener);
            next.setExpireDeletes(old.expireDeletes());
            next.masterApplying = old.masterApplying;
            dbs[i] = next;
            old.close();
        }
    }

    /** Frees every database's memory (a loaded dataset that will not be used). */
    public void close() {
        for (Keyspace db : dbs) {
            db.close();
        }
    }
}
