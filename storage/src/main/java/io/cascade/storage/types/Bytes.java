package io.cascade.storage.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A byte string usable as a hash key inside collections (hash fields, set members). Immutable; any thread. */
public final class Bytes implements Comparable<Bytes> {
    public final byte[] b;
    private final int hash;

    public Bytes(byte[] b) {
        this.b = b;
        this.hash = Arrays.hashCode(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes x && x.hash == hash && Arrays.equals(x.b, b);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** memcmp order, as Redis compares strings (unsigned bytes, then length). */
    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(b, o.b);
    }

    @Override
    public String toString() {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
