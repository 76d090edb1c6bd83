package io.cascade.storage;

import java.util.function.IntFunction;

/** The whole dataset: the numbered databases ("databases" directive). Owned by the command thread. */
public final class Databases {
    private final Keyspace[] dbs;

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
        for (Keyspace db : dbs) {
            db.setListener(listener);
        }
    }

    /** SWAPDB: the two databases trade contents (clients stay on their numbers). */
    public void swap(int a, int b) {
        Keyspace t = dbs[a];
        dbs[a] = dbs[b];
        dbs[b] = t;
        dbs[a].index = a;
        dbs[b].index = b;
    }
}
