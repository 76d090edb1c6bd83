package io.cascade.server.command;

import java.nio.charset.StandardCharsets;

/**
 * Thrown by a handler to answer with an error (WRONGTYPE, not an integer, ...) from wherever it is detected;
 * the dispatcher replies the error's bytes. Throw only before the handler has written any reply.
 */
public final class CommandException extends RuntimeException {
    private final byte[] bytes;

    public CommandException(String error) {
        super(error, null, false, false);
        this.bytes = error.getBytes(StandardCharsets.UTF_8);
    }

    /** An error quoting the client's bytes (see ErrorText); the message is their one-char-per-byte view. */
    public CommandException(byte[] error) {
        super(new String(error, StandardCharsets.ISO_8859_1), null, false, false);
        this.bytes = error.clone();
    }

    /** The error line as it goes on the wire. */
    public byte[] errorBytes() {
        return bytes.clone();
    }

    public static CommandException wrongType() {
        return new CommandException(Errors.WRONGTYPE);
    }
}
