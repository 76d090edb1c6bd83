package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A hash value: fields to values, and whether Redis would have converted it to a hashtable by now (past
 * hash-max-listpack-entries/value; never converted back). While a listpack it iterates in insertion order, as
 * a Redis listpack does; as a hashtable in its own table order, and HSCAN walks it with a cursor.
 * Command thread only.
 */
public final class RHash implements RValue {
    private final Dict dict = new Dict(true);
    private boolean hashtable;

    @Override
    public RType type() {
        return RType.HASH;
    }

    @Override
    public int size() {
        return dict.size();
    }

    @Override
    public String encoding() {
        return hashtable ? "hashtable" : "listpack";
    }

    public boolean isHashtable() {
        return hashtable;
    }

    /** Marks the hash as hashtable-encoded (RDB load of a hashtable, or a size past the limits). */
    public void convertToHashtable() {
        hashtable = true;
        dict.unorder();
    }

    /**
     * Redis's hashTypeTryConversion: converts before a write when one of the given arguments is longer than
     * hash-max-listpack-value, even if that argument ends up not being written (HSET of an existing field).
     */
    public void tryConversion(byte[]... args) {
        if (hashtable) {
            return;
        }
        for (byte[] a : args) {
            if (a.length > EncodingLimits.hashMaxListpackValue) {
                convertToHashtable();
                return;
            }
        }
    }

    public byte[] get(byte[] field) {
        return dict.get(field);
    }

    public boolean contains(byte[] field) {
        return dict.contains(field);
    }

    /** Sets a field; true when it is new. Converts the encoding as hashTypeTryConversion/hashTypeSet do. */
    public boolean put(byte[] field, byte[] value) {
        if (!hashtable && (field.length > EncodingLimits.hashMaxListpackValue
                || value.length > EncodingLimits.hashMaxListpackValue)) {
            convertToHashtable();
        }
        boolean added = dict.put(field, value);
        if (!hashtable && dict.size() > EncodingLimits.hashMaxListpackEntries) {
            convertToHashtable();
        }
        return added;
    }

    public boolean remove(byte[] field) {
        return dict.remove(field);
    }

    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        dict.forEach(visitor);
    }

    /** The field at position i (0 <= i < size) of the iteration order. */
    public Dict.Entry at(int i) {
        return dict.at(i);
    }

    /** A uniformly chosen field, or null when empty. */
    public Dict.Entry random(RandomGenerator random) {
        return dict.random(random);
    }

    /** One HSCAN step over a hashtable-encoded hash (see Dict.scanStep). */
    public long scanStep(long cursor, BiConsumer<byte[], byte[]> visitor) {
        return dict.scanStep(cursor, visitor);
    }

    /** The entries, in order, as read-only map entries; change the hash only through put/remove. */
    public Iterable<Map.Entry<Bytes, byte[]>> entries() {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < dict.size();
            }

            @Override
            public Map.Entry<Bytes, byte[]> next() {
                if (i >= dict.size()) {
                    throw new NoSuchElementException();
                }
                Dict.Entry e = dict.at(i++);
                return new AbstractMap.SimpleImmutableEntry<>(new Bytes(e.key), e.value);
            }
        };
    }
}
