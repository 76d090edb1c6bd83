package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandHandler;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.AccessClock;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RValue;

import static io.cascade.server.command.CommandTable.cmd;

/** OBJECT ENCODING FREQ IDLETIME REFCOUNT HELP (object.c). Command thread. */
public final class ObjectCommand {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: longer strings are "raw". */
    private static final int EMBSTR_SIZE_LIMIT = 44;
    /** OBJ_SHARED_INTEGERS: 0..9999 are shared objects, whose refcount reads as INT_MAX. */
    private static final long SHARED_INTEGERS = 10000;
    private static final String LRU_LFU_NOTE = " Please note that when switching between policies at runtime LRU and LFU "
            + "data will take some time to adjust.";

    private ObjectCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("object", -2, "", null)
                .doc("A container for object introspection commands", "2.2.3", "generic", "Depends on subcommand.", null)
                .sub(sub("encoding", ObjectCommand::encoding, "Inspect the internal encoding of a Redis object", "2.2.3"))
                .sub(sub("freq", ObjectCommand::freq, "Get the logarithmic access frequency counter of a Redis object",
                        "4.0.0"))
                .sub(sub("idletime", ObjectCommand::idletime, "Get the time since a Redis object was last accessed",
                        "2.2.3"))
                .sub(sub("refcount", ObjectCommand::refcount, "Get the number of references to the value of the key",
                        "2.2.3"))
                .sub(cmd("help", 2, "loading stale", ObjectCommand::help).acl("keyspace")
                        .doc("Show helpful text about the different subcommands", "6.2.0", "generic", "O(1)", null)));
    }

    private static CommandTable.Decl sub(String name, CommandHandler h, String summary,
                                         String since) {
        return cmd(name, 3, "readonly", h).keys(2, 2, 1, "RO").acl("keyspace").tips("nondeterministic_output")
                .doc(summary, since, "generic", "O(1)", "key:key");
    }

    static void help(CommandContext c) {
        c.help("ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }

    /** objectCommandLookup: a read without touching the key; counts as a keyspace hit or miss. */
    private static Object lookup(CommandContext c) {
        Object v = c.lookupNoTouchNoNotify(c.argv[2], Object.class);
        if (v == null) {
            c.reply.nullBulk();
        }
        return v;
    }

    static void encoding(CommandContext c) {
        Object v = lookup(c);
        if (v != null) {
            c.reply.bulk(v instanceof byte[] s ? stringEncoding(s, c.db().builtInPlace(c.argv[2])) : ((RValue) v).encoding());
        }
    }

    /**
     * A string's encoding as Redis's object would have it: "raw" for one a command built in place (SETRANGE,
     * SETBIT, APPEND to a value, BITFIELD, PFADD: Keyspace.builtInPlace), else stringEncoding of its bytes.
     */
    static String stringEncoding(byte[] s, boolean builtInPlace) {
        return builtInPlace ? "raw" : stringEncoding(s);
    }

    /**
     * What Redis's tryObjectEncoding makes of these bytes: "int" for a canonical integer of up to 20 characters,
     * "embstr" up to 44 bytes, else "raw".
     */
    static String stringEncoding(byte[] s) {
        if (s.length <= 20 && Ints.parse(s) != null) {
            return "int";
        }
        return s.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
    }

    private static String policy(CommandContext c) {
        return c.server.config.getEnum("maxmemory-policy");
    }

    static void refcount(CommandContext c) {
        Object v = lookup(c);
        if (v == null) {
            return;
        }
        long refcount = 1;
        if (v instanceof byte[] s && s.length <= 20) {
            Long n = Ints.parse(s);
            String p = policy(c);
            // with an LRU or LFU policy and a maxmemory Redis stops sharing integers (each needs its own clock)
            boolean shared = c.server.config.getMemory("maxmemory") == 0 || !(p.contains("lru") || p.contains("lfu"));
            if (n != null && n >= 0 && n < SHARED_INTEGERS && shared) {
                refcount = Integer.MAX_VALUE;
            }
        }
        c.reply.integer(refcount);
    }

    /** Seconds since the last access (the LRU clock in the key's access field); an error under LFU. */
    static void idletime(CommandContext c) {
        if (lookup(c) == null) {
            return;
        }
        if (AccessClock.lfu()) {
            c.reply.error("ERR An LFU maxmemory policy is selected, idle time not tracked." + LRU_LFU_NOTE);
            return;
        }
        c.reply.integer(c.db().idleSeconds(c.argv[2]));
    }

    /**
     * The LFU counter, decayed for the minutes since it was last updated (a key not read for long still shows
     * its old counter in its field); an error unless the policy is LFU.
     */
    static void freq(CommandContext c) {
        if (lookup(c) == null) {
            return;
        }
        if (!AccessClock.lfu()) {
            c.reply.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked." + LRU_LFU_NOTE);
            return;
        }
        c.reply.integer(c.db().lfuFreq(c.argv[2]));
    }
}
