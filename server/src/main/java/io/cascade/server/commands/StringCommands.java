package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** String family commands. Command thread. */
public final class StringCommands {
    private StringCommands() {
    }

    public static void register(CommandTable t) {
    }
}
