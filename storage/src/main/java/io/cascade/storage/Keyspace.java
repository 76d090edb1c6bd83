package io.cascade.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * One logical database: keys to values with optional expiry. Owned by the command thread.
 * This is the first cut (the typed, off-heap engine comes with the dataset issue); it already answers
 * the questions DBSIZE and INFO keyspace ask.
 */
public final class Keyspace {
    private final Map<Key, Object> entries = new HashMap<>();
    private final Map<Key, Long> expires = new HashMap<>();

    public long size() {
        return entries.size();
    }

    public long expiresCount() {
        return expires.size();
    }

    public void clear() {
        entries.clear();
        expires.clear();
    }
}
