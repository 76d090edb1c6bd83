package io.cascade.storage;

/** The whole dataset: the numbered databases ("databases" directive). Owned by the command thread. */
public final class Databases {
    private final Keyspace[] dbs;

    public Databases(int count) {
        dbs = new Keyspace[count];
        for (int i = 0; i < count; i++) {
            dbs[i] = new Keyspace();
        }
    }

    public int count() {
        return dbs.length;
    }

    public Keyspace db(int index) {
        return dbs[index];
    }
}
