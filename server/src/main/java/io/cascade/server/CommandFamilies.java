package io.cascade.server;

import io.cascade.server.command.CommandTable;
import io.cascade.server.commands.ClientCommands;
import io.cascade.server.commands.CommandCommand;
import io.cascade.server.commands.ConfigCommand;
import io.cascade.server.commands.ConnectionCommands;
import io.cascade.server.commands.InfoCommand;
import io.cascade.server.commands.KeyspaceCommands;
import io.cascade.server.commands.ServerCommands;
import io.cascade.server.commands.TransactionCommands;

/** The list of command families; each declares its own table. Called once at startup. */
final class CommandFamilies {
    private CommandFamilies() {
    }

    static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        InfoCommand.register(t);
        ConfigCommand.register(t);
        ClientCommands.register(t);
        CommandCommand.register(t);
        TransactionCommands.register(t);
        KeyspaceCommands.register(t);
        io.cascade.server.commands.StringCommands.register(t);
        io.cascade.server.commands.BitCommands.register(t);
        io.cascade.server.commands.HyperLogLogCommands.register(t);
        io.cascade.server.commands.KeyCommands.register(t);
        io.cascade.server.commands.ListCommands.register(t);
        io.cascade.server.commands.HashCommands.register(t);
        io.cascade.server.commands.SetCommands.register(t);
        io.cascade.server.commands.ZSetCommands.register(t);
        io.cascade.server.commands.StreamCommands.register(t);
        io.cascade.server.commands.GeoCommands.register(t);
        io.cascade.server.commands.DebugCommands.register(t);
        io.cascade.server.commands.MemoryCommands.register(t);
        io.cascade.server.commands.ReplicationCommands.register(t);
        io.cascade.server.commands.PubSubCommands.register(t);
        io.cascade.server.commands.SlowlogCommand.register(t);
        io.cascade.server.commands.LatencyCommand.register(t);
        return t;
    }
}
