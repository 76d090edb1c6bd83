package io.cascade.storage.rdb;

/** Malformed RDB data (a bad DUMP payload, a corrupt RDB file): what Redis reports as "Bad data format". */
public final class RdbFormatException extends RuntimeException {
    private final boolean emptyKey;

    public RdbFormatException(String message) {
        this(message, false);
    }

    private RdbFormatException(String message, boolean emptyKey) {
        super(message, null, false, false);
        this.emptyKey = emptyKey;
    }

    /**
     * An aggregate with no elements (RDB_LOAD_ERR_EMPTY_KEY): RESTORE refuses it, but an RDB file load skips the
     * key (Redis >= 6.2 does, since older versions could save such keys). Thrown after the value's bytes have
     * all been read, so the file reader can go on.
     */
    static RdbFormatException emptyKey() {
        return new RdbFormatException("empty keys are not allowed", true);
    }

    public boolean isEmptyKey() {
        return emptyKey;
    }
}
