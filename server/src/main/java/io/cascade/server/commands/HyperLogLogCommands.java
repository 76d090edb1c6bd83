package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

/** HyperLogLog family commands. Command thread. */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {
    }

    public static void register(CommandTable t) {
    }
}
