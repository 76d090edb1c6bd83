package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** Bit family commands. Command thread. */
public final class BitCommands {
    private BitCommands() {
    }

    public static void register(CommandTable t) {
    }
}
