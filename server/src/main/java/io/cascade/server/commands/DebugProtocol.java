package io.cascade.server.commands;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;

import java.nio.charset.StandardCharsets;

/**
 * DEBUG PROTOCOL type: one sample reply of each RESP type, exactly as Redis 7.0 sends it in RESP2 and RESP3
 * (the RESP3 tests of clients and of Redis's suite read them). Command thread.
 */
final class DebugProtocol {
    private DebugProtocol() {
    }

    static void reply(CommandContext c) {
        RespWriter r = c.reply;
        switch (c.argLower(2)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleReply(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                // RESP2 has no attributes: only the real reply that follows them is sent
                if (r.resp3()) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) {
                    r.error("ERR RESP2 is not supported by this command");
                    return;
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                // a push is not the command's reply: a normal one follows for clients that skip pushes
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII), "txt");
            default -> r.error("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }
}
