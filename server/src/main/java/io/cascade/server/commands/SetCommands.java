package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** Set family commands. Command thread. */
public final class SetCommands {
    private SetCommands() {
    }

    public static void register(CommandTable t) {
    }
}
