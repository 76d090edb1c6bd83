package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** Hash family commands. Command thread. */
public final class HashCommands {
    private HashCommands() {
    }

    public static void register(CommandTable t) {
    }
}
