package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A hash value: fields to values in insertion order (the order a Redis listpack keeps), and whether Redis
 * would have converted it to a hashtable by now (past hash-max-listpack-entries/value; never converted back).
 * Command thread only.
 */
public final class RHash implements RValue {
    private final LinkedHashMap<Bytes, byte[]> map = new LinkedHashMap<>();
    private boolean hashtable;

    @Override
    public RType type() {
        return RType.HASH;
    }

    @Override
    public int size() {
        return map.size();
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
    }

    public byte[] get(byte[] field) {
        return map.get(new Bytes(field));
    }

    public boolean contains(byte[] field) {
        return map.containsKey(new Bytes(field));
    }

    /** Sets a field; true when it is new. Converts the encoding as hashTypeTryConversion/hashTypeSet do. */
    public boolean put(byte[] field, byte[] value) {
        if (!hashtable && (field.length > EncodingLimits.hashMaxListpackValue
                || value.length > EncodingLimits.hashMaxListpackValue)) {
            hashtable = true;
        }
        boolean added = map.put(new Bytes(field), value) == null;
        if (!hashtable && map.size() > EncodingLimits.hashMaxListpackEntries) {
            hashtable = true;
        }
        return added;
    }

    public boolean remove(byte[] field) {
        return map.remove(new Bytes(field)) != null;
    }

    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        for (Map.Entry<Bytes, byte[]> e : map.entrySet()) {
            visitor.accept(e.getKey().b, e.getValue());
        }
    }

    /** The live entries, in order; callers must not change them except through put/remove. */
    public Iterable<Map.Entry<Bytes, byte[]>> entries() {
        return map.entrySet();
    }
}
