package io.cascade.conf;

/**
 * A startup configuration error. {@link #getMessage()} is the text redis-server prints before exiting with 1.
 * When {@link #isFatalBlock()} it is the "*** FATAL CONFIG FILE ERROR ***" block (starting with a newline; print
 * it to stderr with println); otherwise it is a single log line (e.g. "Fatal error, can't open config file ...")
 * that Redis writes through its log at warning level. Created on the startup thread.
 */
public final class ConfigFileException extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final boolean fatalBlock;
    private final int lineNumber;
    private final String line;
    private final String reason;

    private ConfigFileException(String message, boolean fatalBlock, int lineNumber, String line, String reason) {
        super(message);
        this.fatalBlock = fatalBlock;
        this.lineNumber = lineNumber;
        this.line = line;
        this.reason = reason;
    }

    /** The FATAL block, with the line when the error belongs to one (lineNumber > 0). */
    static ConfigFileException fatal(String version, int lineNumber, String line, String reason) {
        StringBuilder sb = new StringBuilder("\n*** FATAL CONFIG FILE ERROR (").append(version).append(") ***\n");
        if (lineNumber > 0) {
            sb.append("Reading the configuration file, at line ").append(lineNumber).append('\n');
            sb.append(">>> '").append(line).append("'\n");
        }
        sb.append(reason);
        return new ConfigFileException(sb.toString(), true, lineNumber, line, reason);
    }

    /** A one-line error that Redis logs rather than printing the FATAL block. */
    static ConfigFileException logLine(String message) {
        return new ConfigFileException(message, false, 0, null, message);
    }

    public boolean isFatalBlock() {
        return fatalBlock;
    }

    /** 1-based line in the text being parsed (file + stdin + command-line options, or the included file); 0 if none. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The offending line as Redis echoes it (trimmed), or null. */
    public String line() {
        return line;
    }

    /** The reason alone, e.g. "Bad directive or wrong number of arguments". */
    public String reason() {
        return reason;
    }
}
