package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** List family commands. Command thread. */
public final class ListCommands {
    private ListCommands() {
    }

    public static void register(CommandTable t) {
    }
}
