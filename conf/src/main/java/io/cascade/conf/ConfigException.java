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
}
