package io.cascade.storage;

import io.cascade.storage.types.RValue;

/** The Redis value types, with the name TYPE replies and the number RDB and DEBUG DIGEST use. Immutable. */
public enum RType {
    STRING("string", 0), LIST("list", 1), SET("set", 2), ZSET("zset", 3), HASH("hash", 4), STREAM("stream", 6);

    /** What TYPE answers. */
    public final String typeName;
    /** Redis's OBJ_* number (DEBUG DIGEST mixes it in). */
    public final int objType;

    RType(String typeName, int objType) {
        this.typeName = typeName;
        this.objType = objType;
    }

    /** The type of a stored value: byte[] for strings, the collection classes otherwise. */
    public static RType of(Object value) {
        if (value instanceof byte[]) {
            return STRING;
        }
        if (value instanceof RValue v) {
            return v.type();
        }
        throw new IllegalArgumentException("not a value: " + value);
    }
}
