package io.cascade.server.command;

/** The body of one command; runs on the command thread after arity, auth and the other checks passed. */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx);
}
