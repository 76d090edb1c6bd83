package io.cascade.server;

import io.cascade.conf.Config;
import io.cascade.conf.Log;
import io.cascade.replication.resp.RespRequest;
import io.cascade.server.net.Client;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.cascade.server.command.CommandTable.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command whose code fails underneath (an exception on the command thread): the client still gets an
 * answer, an -ERR naming the failure on one line, the log holds the failure once with its stack trace and says
 * the dataset may hold part of the command's changes, and the server goes on serving that client.
 */
class CommandFailureTest {
    private static RespRequest request(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new RespRequest(argv, 0, false);
    }

    private static String replies(Client c) {
        ByteBuf out = c.out;
        String text = out == null ? "" : out.toString(StandardCharsets.UTF_8);
        if (out != null) {
            out.clear();
        }
        return text;
    }

    @Test
    void anExceptionInsideACommandIsAnsweredAndLogged() throws Exception {
        Path log = Files.createTempFile("cascade-log-", ".log");
        Log.setFile(log.toString());
        try {
            Server server = new Server(Config.defaults());
            server.commands.add(cmd("boom", 1, "write", c -> {
                c.server.databases.db(c.client.db).set("half".getBytes(StandardCharsets.UTF_8),
                        "done".getBytes(StandardCharsets.UTF_8));
                throw new IllegalStateException("line one\r\nline two");
            }));
            Dispatcher dispatcher = new Dispatcher(server);
            Client client = new Client(1, new EmbeddedChannel());
            client.authenticated = true;
            server.clients.add(client);

            client.pending.incrementAndGet();
            dispatcher.execute(client, request("boom"));
            assertEquals("-ERR internal error running 'boom': java.lang.IllegalStateException: line one line two\r\n",
                    replies(client), "one error line naming the failure");

            client.pending.incrementAndGet();
            dispatcher.execute(client, request("PING"));
            assertEquals("+PONG\r\n", replies(client), "the client is served after the failure");

            String text = Files.readString(log);
            assertEquals(1, text.split("Unexpected error running 'boom'", -1).length - 1, "logged once:\n" + text);
            assertTrue(text.contains("the dataset may hold part of this command's changes"), text);
            assertTrue(text.contains("at io.cascade.server.CommandFailureTest"), "with its stack trace:\n" + text);
            assertEquals(1L, server.stats.errorCodes.get("ERR"), "counted as an error reply");
        } finally {
            Log.setFile("");
            Files.deleteIfExists(log);
        }
    }
}
