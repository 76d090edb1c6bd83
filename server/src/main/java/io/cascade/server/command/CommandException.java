package io.cascade.server.command;

/**
 * Thrown by a handler to answer with an error (WRONGTYPE, not an integer, ...) from wherever it is detected;
 * the dispatcher replies the message as the error. Throw only before the handler has written any reply.
 */
public final class CommandException extends RuntimeException {
    public CommandException(String error) {
        super(error, null, false, false);
    }

    public static CommandException wrongType() {
        return new CommandException(Errors.WRONGTYPE);
    }
}
