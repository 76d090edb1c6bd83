package io.cascade.server;

import io.cascade.server.command.CommandTable;
import io.cascade.server.commands.AclCommand;
import io.cascade.server.commands.BitCommands;
import io.cascade.server.commands.ClientCommands;
import io.cascade.server.commands.ClusterCommands;
import io.cascade.server.commands.CommandCommand;
import io.cascade.server.commands.ConfigCommand;
import io.cascade.server.commands.ConnectionCommands;
import io.cascade.server.commands.DebugCommands;
import io.cascade.server.commands.EvalCommands;
import io.cascade.server.commands.FunctionCommands;
import io.cascade.server.commands.GeoCommands;
import io.cascade.server.commands.HashCommands;
import io.cascade.server.commands.HyperLogLogCommands;
import io.cascade.server.commands.InfoCommand;
import io.cascade.server.commands.KeyCommands;
import io.cascade.server.commands.KeyspaceCommands;
import io.cascade.server.commands.LatencyCommand;
import io.cascade.server.commands.ListCommands;
import io.cascade.server.commands.MemoryCommands;
import io.cascade.server.commands.PubSubCommands;
import io.cascade.server.commands.ReplicationCommands;
import io.cascade.server.commands.ServerCommands;
import io.cascade.server.commands.SetCommands;
import io.cascade.server.commands.SlowlogCommand;
import io.cascade.server.commands.StreamCommands;
import io.cascade.server.commands.StringCommands;
import io.cascade.server.commands.TransactionCommands;
import io.cascade.server.commands.ZSetCommands;

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
        AclCommand.register(t);
        ClientCommands.register(t);
        CommandCommand.register(t);
        TransactionCommands.register(t);
        KeyspaceCommands.register(t);
        StringCommands.register(t);
        BitCommands.register(t);
        HyperLogLogCommands.register(t);
        KeyCommands.register(t);
        ListCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        ZSetCommands.register(t);
        StreamCommands.register(t);
        GeoCommands.register(t);
        DebugCommands.register(t);
        MemoryCommands.register(t);
        ReplicationCommands.register(t);
        PubSubCommands.register(t);
        EvalCommands.register(t);
        FunctionCommands.register(t);
        SlowlogCommand.register(t);
        LatencyCommand.register(t);
        ClusterCommands.register(t);
        return t;
    }
}
