package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** Debug family commands. Command thread. */
public final class DebugCommands {
    private DebugCommands() {
    }

    public static void register(CommandTable t) {
    }
}
