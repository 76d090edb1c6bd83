package io.cascade.server.command;

import io.cascade.storage.types.Ints;

/** Strict number parsing as Redis's string2ll (no spaces, no '+', no leading zeros). Pure functions. */
public final class Numbers {
    private Numbers() {
    }

    /** Returns null when the bytes are not a canonical 64-bit integer. */
    public static Long parseLong(byte[] b) {
        return Ints.parse(b);
    }
}
