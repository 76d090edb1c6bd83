package io.cascade.server;

import io.cascade.conf.Log;
import io.cascade.replication.resp.RespRequest;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.acl.Acl;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CString;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandStats;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.Errors;
import io.cascade.server.commands.ClientCommands;
import io.cascade.server.net.Client;
import io.cascade.server.net.ClientHandler;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs one request on the command thread: the linear admission checks of Redis's processCommand (lookup,
 * arity, protected commands, authentication), then the handler, then the bookkeeping of call().
 */
final class Dispatcher {
    private final Server server;
    private final CommandContext ctx;
    private final Map<CommandSpec, CommandStats> commandStats = new HashMap<>();
    /** The name of the request being admitted, for the log line of a master's command we refuse. */
    private byte[] requestName;
    /** The command being admitted, or null when its name is unknown. */
    private CommandSpec requestSpec;
    /** Nesting of call(): 1 for a client's command, 2 for the commands EXEC runs. */
    private int callDepth;
    /** What still runs at once between MULTI and EXEC (processCommand's exception list). */
    private static final Set<String> RUN_INSIDE_MULTI =
            Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    /** What a RESP2 client in Pub/Sub mode may still run (processCommand's CLIENT_PUBSUB check). */
    private static final Set<String> ALLOWED_SUBSCRIBED = Set.of("ping", "subscribe",
            "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    Dispatcher(Server server) {
        this.server = server;
        this.ctx = new CommandContext(server);
    }

    void execute(Client client, RespRequest request) {
        // a blocked client's later requests wait, still counted as pending, until it is unblocked
        if (server.blocking.hold(client, request)) {
            return;
        }
        // the client whose script is running past busy-reply-threshold waits for its end (protectClient)
        if (server.scripting.busy.defer(client, request)) {
            return;
        }
        executeNow(client, request);
    }

    /** Runs a request now: for new requests that were not held, and for held ones once their client is free. */
    void executeNow(Client client, RespRequest request) {
        try {
            // after QUIT or a protocol error nothing more of this client runs (CLIENT_CLOSE_AFTER_REPLY)
            if (!client.closed && !client.closeAfterReply) {
                client.queryBytes = request.wireLength();
                client.beginReplyMode();
                try {
                    run(client, request);
                } finally {
                    client.endReplyMode();
                    client.queryBytes = 0;
                }
            }
        } finally {
            int left = client.pending.decrementAndGet();
            // the I/O thread paused reading (backpressure, or waiting for AUTH's outcome): let it go on
            if (client.readingPaused && (left == 0 || left == ClientHandler.MAX_PENDING / 2)) {
                client.readingPaused = false;
                client.resumeReading.run();
            }
        }
    }

    /**
     * A request of the master's stream (Replica's entry point, next to execute for clients): the same path,
     * where the master client passes every gate of a normal client and its replies go nowhere.
     */
    void executeFromMaster(Client master, RespRequest request) {
        master.queryBytes = request.wireLength();
        try {
            run(master, request);
        } finally {
            master.queryBytes = 0;
        }
    }

    /** The ACL check of processCommand: null when allowed, else the NOPERM error, the refusal logged. */
    private String aclRefusal(Client client, CommandSpec spec, byte[][] argv) {
        Acl.Denied denied = server.acl.check(client.user, spec, argv);
        if (denied == null) {
            return null;
        }
        server.acl.logRefusal(denied, client.multi != null ? "multi" : "toplevel", client.user, spec, argv,
                ClientCommands.describe(server, client, spec.fullName));
        return switch (denied.reason()) {
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
            default -> "NOPERM this user has no permissions to run the '" + spec.fullName + "' command";
        };
    }

    private void run(Client client, RespRequest request) {
        byte[][] argv = request.args();
        client.lastInteractionMillis = System.currentTimeMillis();
        requestName = argv[0];
        RespWriter reply = server.clients.replyTo(client);
        if (isHttpProbe(argv[0])) {
            // a browser talking to us: Redis logs a possible cross-protocol attack and drops the connection
            Log.warning("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: "
                    + "commands to Redis. This is likely due to an attacker attempting to use Cross Protocol "
                    + "Scripting to compromise your Redis instance. Connection aborted.");
            client.channel.close();
            return;
        }
        CommandSpec spec = server.commands.lookup(argv);
        requestSpec = spec;
        if (client.replicaSession != null && (spec == null || !spec.fullName.equals("replconf"))) {
            // a replica link must stay silent (spec 4.9): anything that would be answered ends it. Redis logs
            // the reply it was about to write (for a keyspace command, the error refusing it) and frees it
            String name = spec == null ? "<unknown>" : spec.fullName;
            Log.warning("Replica generated a reply to command '%s', disconnecting it: id=%d addr=%s laddr=%s "
                    + "flags=S db=%d cmd=%s", name, client.id, client.addr, client.laddr, client.db, name);
            if (spec != null && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.READONLY)
                    || spec.has(CommandFlag.MAY_REPLICATE))) {
                Log.warning("== CRITICAL == This master is sending an error to its replica: 'ERR Replica can't "
                        + "interact with the keyspace' after processing the command '%s'", name);
            }
            server.clients.kill(client);
            return;
        }
        if (spec == null) {
            reject(client, reply, unknown(argv));
            return;
        }
        if (!spec.arityAccepts(argv.length)) {
            reject(client, reply, Errors.wrongArity(spec.fullName));
            stats(spec).rejected++;
            return;
        }
        if (spec.has(CommandFlag.PROTECTED) && !protectedAllowed(client)) {
            reject(client, reply, "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option in the "
                    + "configuration file, and then restart the server.");
            stats(spec).rejected++;
            return;
        }
        if (!client.authenticated && server.passwordRequired() && !spec.has(CommandFlag.NO_AUTH)) {
            reject(client, reply, Errors.NOAUTH);
            stats(spec).rejected++;
            return;
        }
        String aclRefusal = aclRefusal(client, spec, argv);
        if (aclRefusal != null) {
            reject(client, reply, aclRefusal);
            stats(spec).rejected++;
            return;
        }
        // EVAL and FCALL of a script that declares flags are gated on those (getCommandFlags)
        Set<CommandFlag> flags = server.scripting.commandFlags(spec, argv);
        if (server.evictions.enabled() && server.scripting.busy.busyError() == null
                && outOfMemory(client, spec, flags)) {
            reject(client, reply, Errors.OOM);
            stats(spec).rejected++;
            return;
        }
        if (server.persistence.loading && !client.master && deniedWhileLoading(client, spec, flags)) {
            reject(client, reply, "LOADING Redis is loading the dataset in memory");
            stats(spec).rejected++;
            return;
        }
        if (server.replica.asyncLoading && !client.master
                && anyInCall(client, spec, flags, f -> f.contains(CommandFlag.NO_ASYNC_LOADING))) {
            // repl-diskless-load swapdb serves the old dataset meanwhile, but not what would replace it
            reject(client, reply, "LOADING Redis is loading the dataset in memory");
            stats(spec).rejected++;
            return;
        }
        if (!client.master && server.replica.isReplica() && !server.replica.linkUp()
                && !server.config.getBool("replica-serve-stale-data")
                && anyInCall(client, spec, flags, f -> !f.contains(CommandFlag.STALE))) {
            reject(client, reply, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            stats(spec).rejected++;
            return;
        }
        if (!client.master && !server.replica.isReplica() && isWrite(client, spec, flags) && notEnoughGoodReplicas()) {
            reject(client, reply, "NOREPLICAS Not enough good replicas to write.");
            stats(spec).rejected++;
            return;
        }
        if (!client.master && server.replica.isReplica() && server.config.getBool("replica-read-only")
                && isWrite(client, spec, flags)) {
            reject(client, reply, "READONLY You can't write against a read only replica.");
            stats(spec).rejected++;
            return;
        }
        if (!client.master && server.persistence.writesDenied()
                && (isWrite(client, spec, flags) || spec.fullName.equals("ping"))) {
            reject(client, reply, Errors.MISCONF);
            stats(spec).rejected++;
            return;
        }
        if (client.pubsub && client.resp == 2 && !ALLOWED_SUBSCRIBED.contains(spec.fullName)) {
            // RESP2 has no push type: a subscribed connection only reads messages and (un)subscribes
            reject(client, reply, "ERR Can't execute '" + spec.fullName + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            stats(spec).rejected++;
            return;
        }
        if (client.monitor && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.READONLY)
                || spec.has(CommandFlag.MAY_REPLICATE))) {
            reject(client, reply, "ERR Replica can't interact with the keyspace");
            stats(spec).rejected++;
            return;
        }
        String busy = server.scripting.busy.busyError();
        if (busy != null && !spec.has(CommandFlag.ALLOW_BUSY)) {
            reject(client, reply, busy);
            stats(spec).rejected++;
            return;
        }
        if (client.multi != null && spec.has(CommandFlag.NO_MULTI)) {
            reject(client, reply, "ERR Command not allowed inside a transaction");
            stats(spec).rejected++;
            return;
        }
        if (!client.master && server.pause.postpones(client, spec, flags)) {
            // CLIENT PAUSE or a FAILOVER: the command runs, with the rest of this client's requests, once lifted
            server.blocking.postpone(client, request);
            return;
        }
        if (client.multi != null && !RUN_INSIDE_MULTI.contains(spec.fullName)) {
            client.multi.queue(spec, argv, flags);
            reply.simple("QUEUED");
            return;
        }
        call(client, spec, argv, reply);
        // keys made ready by this command (or this EXEC) serve the clients blocked on them, as Redis's
        // processCommand does after call()
        server.blocking.handleClientsBlockedOnKeys();
    }

    /** Redis's call(): runs the handler and keeps the per-command and global counters. EXEC uses it too. */
    void call(Client client, CommandSpec spec, byte[][] argv, RespWriter reply) {
        Client outerClient = ctx.client;
        byte[][] outerArgv = ctx.argv;
        CommandSpec outerSpec = ctx.spec;
        RespWriter outerReply = ctx.reply;
        ctx.client = client;
        ctx.argv = argv;
        ctx.spec = spec;
        ctx.reply = reply;
        ctx.redacted.clear();
        long errorsBefore = reply.errorCount();
        ByteBuf replyBuf = reply.buffer();
        int replyMark = replyBuf == null ? 0 : replyBuf.writerIndex();
        long start = System.nanoTime();
        callDepth++;
        ctx.denyBlocking = callDepth > 1;
        Propagation.Frame frame = server.propagation.enter();
        long offsetBefore = server.replica.repl.masterReplOffset;
        try {
            spec.handler.execute(ctx);
        } catch (CommandException e) {
            reply.error(e.errorBytes());
        } catch (RuntimeException | Error e) {
            // every request gets a reply, even when the code underneath fails
            Log.warning("Unexpected error running '%s' for client id=%d: %s (the dataset may hold part of this "
                    + "command's changes)", spec.fullName, client.id, e);
            for (StackTraceElement el : e.getStackTrace()) {
                Log.warning("    at %s", el);
            }
            // what the command replied before it failed goes: the client sees the error alone, not a result
            // (an array's first elements) that reads as if the command had been carried out
            if (replyBuf != null && reply.buffer() == replyBuf && replyBuf.writerIndex() >= replyMark) {
                replyBuf.writerIndex(replyMark);
            }
            // an error line must stay one line, whatever the exception's text holds
            reply.error(("ERR internal error running '" + spec.fullName + "': " + e).replaceAll("[\r\n]+", " "));
        } finally {
            callDepth--;
            ctx.denyBlocking = callDepth > 1;
            // EXEC's commands propagate one by one, inside the unit EXEC's call makes
            server.propagation.exit(frame, spec.fullName, client.db, argv,
                    !client.master && !spec.fullName.equals("exec"));
            if (server.replica.repl.masterReplOffset != offsetBefore) {
                client.woff = server.replica.repl.masterReplOffset;
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        CommandStats s = stats(spec);
        s.calls++;
        s.micros += micros;
        // call()'s latency sample and slow log entry; a client that blocked gets its entry when served
        server.latency.addSampleIfNeeded(spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        if (server.blocking.isBlocked(client)) {
            server.blocking.noteCallDuration(client, micros);
        } else {
            if (!spec.has(CommandFlag.SKIP_SLOWLOG)) {
                server.slowlog.pushIfNeeded(client, argv, ctx.redacted, micros);
            }
            if (server.latency.tracking()) {
                s.recordLatency(micros);
            }
        }
        if (reply.errorCount() != errorsBefore) {
            s.failed++;
            if (!reply.lastErrorCounted()) {
                server.stats.countError(reply.lastError());
            }
            if (client.master) {
                errorToMaster(reply.lastError(), spec.fullName);
            }
        }
        // administrative commands are too dangerous to show; the db is the one after the command (SELECT)
        if (!server.monitors.isEmpty() && !spec.has(CommandFlag.ADMIN) && !spec.has(CommandFlag.SKIP_MONITOR)) {
            server.monitors.feed(client, client.db, argv, ctx.redacted, server.config.getString("unixsocket"));
        }
        client.lastCommand = spec.fullName;
        client.commandsProcessed++;
        server.stats.commandsProcessed++;
        // EXEC runs commands inside its own execution: give it back its context
        ctx.client = outerClient;
        ctx.argv = outerArgv;
        ctx.spec = outerSpec;
        // a script's commands reply into their own writer: the script's caller gets its own back
        ctx.reply = outerReply != null ? outerReply : reply;
    }

    /**
     * A command refused before it ran: counted as a rejected error, as Redis's rejectCommand does, and
     * inside MULTI the transaction is flagged so that EXEC answers EXECABORT.
     */
    private void reject(Client client, RespWriter reply, String error) {
        reject(client, reply, error.getBytes(StandardCharsets.UTF_8));
    }

    /** As reject of a text, for errors quoting the client's bytes (an unknown command). */
    private void reject(Client client, RespWriter reply, byte[] errorBytes) {
        String error = new String(errorBytes, StandardCharsets.ISO_8859_1);
        if (client.master) {
            errorToMaster(error, text(requestName));
        }
        if (client.multi != null && requestSpec != null && requestSpec.fullName.equals("exec")) {
            // an EXEC refused before it ran ends the transaction (Redis's execCommandAbort); the reason is
            // quoted without the ERR of errors Redis formats itself (arity), with the code of the others
            client.multi = null;
            server.watches.unwatchAll(client);
            int skip = error.startsWith("ERR ") ? 4 : 0;
            errorBytes = ErrorText.of("EXECABORT Transaction discarded because of: ")
                    .raw(Arrays.copyOfRange(errorBytes, skip, errorBytes.length)).bytes();
        } else if (client.multi != null) {
            client.multi.flag();
        }
        reply.error(errorBytes);
        server.stats.countError(reply.lastError());
    }

    /** An error our master's command produced: the master never sees it, so the log must (afterErrorReply). */
    private void errorToMaster(String error, String command) {
        Log.warning("== CRITICAL == This replica is sending an error to its master: '%s' after processing the "
                + "command '%s'", error, command);
        server.stats.unexpectedErrorReplies++;
    }

    /** min-replicas-to-write with min-replicas-max-lag: fewer online replicas ACKed recently than required. */
    private boolean notEnoughGoodReplicas() {
        long need = server.config.getLong("min-replicas-to-write");
        long maxLag = server.config.getLong("min-replicas-max-lag");
        return need > 0 && maxLag > 0 && server.downstream.goodReplicas(maxLag) < need;
    }

    /** A command without the loading flag, or an EXEC whose transaction holds one (is_denyloading_command). */
    private static boolean deniedWhileLoading(Client client, CommandSpec spec, Set<CommandFlag> flags) {
        return anyInCall(client, spec, flags, f -> !f.contains(CommandFlag.LOADING));
    }

    /** A write command, or an EXEC whose transaction holds one (processCommand's is_write_command). */
    private static boolean isWrite(Client client, CommandSpec spec, Set<CommandFlag> flags) {
        return anyInCall(client, spec, flags, f -> f.contains(CommandFlag.WRITE));
    }

    /**
     * True when the call's flags, or for EXEC those of any command its transaction queued, match: what Redis
     * keeps as the transaction's cmd_flags and cmd_inv_flags.
     */
    static boolean anyInCall(Client client, CommandSpec spec, Set<CommandFlag> flags,
                             Predicate<Set<CommandFlag>> test) {
        if (test.test(flags)) {
            return true;
        }
        return spec.fullName.equals("exec") && client.multi != null
                && client.multi.queued().stream().anyMatch(q -> test.test(q.flags()));
    }

    /**
     * processCommand's maxmemory step: evicts what the policy allows, then tells whether the command must be refused:
     * out of memory and a deny-oom command (an EXEC of one), or anything but EXEC, DISCARD, QUIT and RESET inside
     * MULTI (queuing takes memory too). The state is kept for scripts (pre_command_oom_state), which check it at
     * their first deny-oom call.
     */
    private boolean outOfMemory(Client client, CommandSpec spec, Set<CommandFlag> flags) {
        // the master's commands pass (a replica evicts nothing of its own unless replica-ignore-maxmemory is no)
        boolean oom = !client.master && server.evictions.perform() == Evictions.Result.FAIL;
        server.evictions.preCommandOom = oom;
        boolean denied = anyInCall(client, spec, flags, f -> f.contains(CommandFlag.DENYOOM));
        if (client.multi != null && !MULTI_OOM_EXEMPT.contains(spec.fullName)) {
            denied = true;
        }
        return oom && denied;
    }

    private static final Set<String> MULTI_OOM_EXEMPT = Set.of("exec", "discard", "quit", "reset");

    /** "POST" or "Host:" as a command name: an HTTP request sent to us (Redis's securityWarningCommand). */
    private static boolean isHttpProbe(byte[] name) {
        // compared in place, without lower-casing a copy: every command name passes here
        return CString.equalsIgnoreCase(name, "post") || CString.equalsIgnoreCase(name, "host:");
    }

    private boolean protectedAllowed(Client client) {
        String mode = server.config.getEnum("enable-debug-command");
        return mode.equals("yes") || (mode.equals("local") && client.isLocal());
    }

    /** Redis's commandCheckExistence texts: an unknown subcommand of a container, or an unknown command. */
    private byte[] unknown(byte[][] argv) {
        if (server.commands.isContainer(argv[0]) && argv.length > 1) {
            return Errors.unknownSubcommand(argv);
        }
        return Errors.unknownCommand(argv);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    CommandStats stats(CommandSpec spec) {
        return commandStats.computeIfAbsent(spec, k -> new CommandStats());
    }

    Map<CommandSpec, CommandStats> commandStats() {
        return commandStats;
    }
}
