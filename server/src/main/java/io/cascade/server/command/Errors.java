package io.cascade.server.command;

/** Redis's shared error replies, word for word. Constants only. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private Errors() {
    }

    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    /** commandCheckExistence for a container: "unknown subcommand '%.128s'. Try %s HELP." of the client's bytes. */
    public static byte[] unknownSubcommand(byte[][] argv) {
        return ErrorText.of("ERR unknown subcommand '").arg(argv[1], 128).text("'. Try ").upper(argv[0])
                .text(" HELP.").bytes();
    }

    /**
     * commandCheckExistence for an unknown command: its name (128 bytes at most) and the first arguments, each
     * quoted, until 128 bytes of them are written.
     */
    public static byte[] unknownCommand(byte[][] argv) {
        ErrorText args = ErrorText.of("");
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            int room = 128 - args.length();
            args.text("'").arg(argv[i], room).text("' ");
        }
        return ErrorText.of("ERR unknown command '").arg(argv[0], 128).text("', with args beginning with: ")
                .raw(args.bytes()).bytes();
    }

    /** addReplySubcommandSyntaxError, quoting the client's bytes. */
    public static byte[] subcommandSyntax(byte[][] argv) {
        return ErrorText.of("ERR unknown subcommand or wrong number of arguments for '").arg(argv[1], 128)
                .text("'. Try ").upper(argv[0]).text(" HELP.").bytes();
    }

    /** stop-writes-on-bgsave-error after a failed save (shared.bgsaveerr). */
    public static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";
}
