package io.cascade.storage.types;

import io.cascade.storage.RType;

/**
 * A collection value (list, hash, set, ...). Strings are plain byte[] and need no wrapper. Owned by the command
 * thread: a value obtained from a Keyspace may be a decoded copy, so every change must be written back with
 * Keyspace.update (or set), which is also where WATCH and snapshots learn about it.
 */
public interface RValue {
    RType type();

    /** Number of elements (fields for a hash). A collection left empty must be deleted by the caller. */
    int size();

    /** The encoding OBJECT ENCODING reports, as Redis 7.0 would have chosen it for this value. */
    String encoding();
}
