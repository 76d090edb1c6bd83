package io.cascade.server.command;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.Notifications;
import io.cascade.server.Server;
import io.cascade.server.net.Client;
import io.cascade.storage.Keyspace;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Locale;

/**
 * What a command handler sees: the server, the calling client, its arguments and the reply writer.
 * One instance is reused by the command thread for every command.
 */
public final class CommandContext {
    public final Server server;
    public Client client;
    public byte[][] argv;
    public CommandSpec spec;
    public RespWriter reply;
    /** Arguments MONITOR must not show (passwords): set by the handler, cleared before each command. */
    public final BitSet redacted = new BitSet();
    /**
     * Redis's CLIENT_DENY_BLOCKING: set while the command runs inside another one (EXEC), where a blocking
     * command must answer at once as if its timeout had passed.
     */
    public boolean denyBlocking;

    public CommandContext(Server server) {
        this.server = server;
    }

    public int argc() {
        return argv.length;
    }

    public String arg(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    public String argLower(int i) {
        return CommandTable.lower(argv[i]);
    }

    public boolean argIs(int i, String lowerWord) {
        return argLower(i).equals(lowerWord);
    }

    /** Parses an integer argument as Redis's getLongLongFromObjectOrReply; replies the error and returns null. */
    public Long argLong(int i) {
        Long v = Numbers.parseLong(argv[i]);
        if (v == null) {
            reply.error(Errors.NOT_INTEGER);
        }
        return v;
    }

    /** As Redis's getIntFromObjectOrReply: like argLong, but the value must also fit 32 bits. */
    public Long argInt(int i) {
        Long v = Numbers.parseLong(argv[i]);
        if (v == null) {
            reply.error(Errors.NOT_INTEGER);
        } else if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
            return null;
        }
        return v;
    }

    /** Redis's addReplyHelp: a header naming the command, the given lines, and the HELP footer. */
    public void help(String... lines) {
        reply.array(lines.length + 3);
        reply.simple(CommandTable.lower(argv[0]).toUpperCase(Locale.ROOT)
                + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            reply.simple(line);
        }
        reply.simple("HELP");
        reply.simple("    Prints this help.");
    }

    /** Hides argument i from MONITOR, as Redis's redactClientCommandArgument. */
    public void redact(int i) {
        redacted.set(i);
    }

    /**
     * Raises a keyspace event on the client's selected database (Redis's notifyKeyspaceEvent with c->db->id);
     * type is one of Notifications' classes.
     */
    public void notify(int type, String event, byte[] key) {
        server.notifications.notify(type, event, key, client.db);
    }

    /** As notify, on another database (MOVE, COPY ... DB). */
    public void notify(int type, String event, byte[] key, int db) {
        server.notifications.notify(type, event, key, db);
    }

    /** The client's selected database. */
    public Keyspace db() {
        return server.databases.db(client.db);
    }

    /**
     * For reading: the value at key if it is of the given class (byte[].class for strings), null when the key is
     * missing; throws WRONGTYPE when it holds another type (Redis's lookupKeyRead plus checkType). Counts
     * INFO's keyspace_hits/keyspace_misses.
     */
    public <T> T lookup(byte[] key, Class<T> type) {
        lastKey = key;
        return counted(db().get(key), type);
    }

    /**
     * As lookup, without updating the key's access time (Redis's LOOKUP_NOTOUCH: OBJECT, TYPE, EXISTS, TTL and
     * SCAN's TYPE filter); counts hits and misses the same.
     */
    public <T> T lookupNoTouch(byte[] key, Class<T> type) {
        lastKey = key;
        return counted(db().getNoTouch(key), type);
    }

    /**
     * As lookupNoTouch without the keymiss event (Redis's LOOKUP_NONOTIFY: OBJECT); hits and misses count.
     */
    public <T> T lookupNoTouchNoNotify(byte[] key, Class<T> type) {
        Object v = db().getNoTouch(key);
        if (v == null) {
            server.stats.keyspaceMisses++;
            return null;
        }
        server.stats.keyspaceHits++;
        return typed(v, type);
    }

    /** A read found no key: INFO's keyspace_misses and the keymiss event (lookupKeyReadWithFlags). */
    public void keyMiss(byte[] key) {
        server.stats.keyspaceMisses++;
        server.notifications.notify(Notifications.KEY_MISS, "keymiss", key, client.db);
    }

    /** The key of the read being counted, for its keymiss event. */
    private byte[] lastKey;

    private <T> T counted(Object v, Class<T> type) {
        if (v == null) {
            keyMiss(lastKey);
            return null;
        }
        server.stats.keyspaceHits++;
        return typed(v, type);
    }

    /** For writing: as lookup, without counting hits and misses (Redis's lookupKeyWrite). */
    public <T> T lookupWrite(byte[] key, Class<T> type) {
        Object v = db().get(key);
        return v == null ? null : typed(v, type);
    }

    /** checkType: WRONGTYPE when the value is not of the class asked for. */
    private static <T> T typed(Object v, Class<T> type) {
        if (!type.isInstance(v)) {
            throw CommandException.wrongType();
        }
        return type.cast(v);
    }

    /** A canonical 64-bit integer argument, or CommandException with Redis's "not an integer" error. */
    public long longArg(int i) {
        Long v = Numbers.parseLong(argv[i]);
        if (v == null) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
        return v;
    }

    public void ok() {
        reply.simple("OK");
    }

    public void syntaxError() {
        reply.error(Errors.SYNTAX);
    }
}
