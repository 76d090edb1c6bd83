package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** Key family commands. Command thread. */
public final class KeyCommands {
    private KeyCommands() {
    }

    public static void register(CommandTable t) {
    }
}
