package io.cascade.storage.rdb;

/** Malformed RDB data (a bad DUMP payload, a corrupt RDB file): what Redis reports as "Bad data format". */
public final class RdbFormatException extends RuntimeException {
    public RdbFormatException(String message) {
        super(message, null, false, false);
    }
}
