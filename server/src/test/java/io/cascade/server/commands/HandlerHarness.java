package io.cascade.server.commands;

import io.cascade.conf.Config;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.Server;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.net.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;

/**
 * A server with no listeners and one client context, for running command handlers directly against its
 * keyspace in unit tests (values no command can create yet, what exactly gets stored). Test thread; close it.
 */
final class HandlerHarness implements AutoCloseable {
    final Server server = new Server(Config.defaults());
    final CommandContext c = new CommandContext(server);
    private final ByteBuf out = Unpooled.buffer();

    HandlerHarness() {
        c.client = new Client(1, new EmbeddedChannel());
        c.reply = new RespWriter().target(out, 2);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Runs a command; returns its reply text, or "-" + the error it threw. */
    String run(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = b(args[i]);
        }
        CommandSpec spec = server.commands.lookup(argv);
        c.argv = argv;
        c.spec = spec;
        out.clear();
        try {
            spec.handler.execute(c);
        } catch (CommandException e) {
            return "-" + e.getMessage();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        out.release();
    }
}
