package io.cascade.server.command;

/** Redis's shared error replies, word for word. Constants only. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private Errors() {
    }

    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String unknownSubcommand(String sub, String container) {
        return "ERR unknown subcommand '" + truncate(sub) + "'. Try " + container + " HELP.";
    }

    /** Redis's "%.128s". */
    public static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** stop-writes-on-bgsave-error after a failed save (shared.bgsaveerr). */
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";
}
