package io.cascade.conf;

/**
 * A configuration error. For CONFIG GET/SET/REWRITE the message is exactly the Redis error reply without the
 * leading '-' (e.g. "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"). Thrown on the caller's thread.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Which of the caller's arguments the message quotes, so it can quote the bytes as sent; -1 for none. */
    private int quotedArg = -1;
    private String before = "";
    private String after = "";

    /**
     * An error quoting argument {@code argIndex} of the caller's list between two texts (CONFIG SET's unknown
     * name): Redis quotes the client's bytes, which a caller holding them can do (see {@link #quotedArg}).
     */
    public ConfigException(String before, String arg, int argIndex, String after) {
        super(before + arg + after);
        this.quotedArg = argIndex;
        this.before = before;
        this.after = after;
    }

    public int quotedArg() {
        return quotedArg;
    }

    public String before() {
        return before;
    }

    public String after() {
        return after;
    }
}
