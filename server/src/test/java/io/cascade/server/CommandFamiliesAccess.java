package io.cascade.server;

import io.cascade.server.command.CommandTable;

/** Gives tests in other packages the server's real command table. */
public final class CommandFamiliesAccess {
    private CommandFamiliesAccess() {
    }

    public static CommandTable table() {
        return CommandFamilies.table();
    }
}
