package io.cascade.server.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * All commands, looked up by name (and subcommand for containers). Filled at startup by the command families,
 * each declaring its commands in a table; read-only afterwards, on the command thread.
 */
public final class CommandTable {
    /** Redis's ACL categories, in the order of its table (ACL CAT and COMMAND INFO list them so). */
    public static final List<String> ACL_CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset",
            "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
            "blocking", "dangerous", "connection", "transaction", "scripting");

    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private final Map<String, String> renamed = new LinkedHashMap<>();

    /** Registers a top-level command. */
    public CommandTable add(Decl d) {
        CommandSpec spec = d.build(null);
        if (commands.putIfAbsent(d.name, spec) != null) {
            throw new IllegalStateException("command declared twice: " + d.name);
        }
        for (Decl sub : d.subcommands) {
            spec.addSubcommand(sub.build(spec));
        }
        return this;
    }

    /**
     * Applies rename-command: the command answers only to its new name; an empty new name disables it.
     * Keys are lower-case original names.
     */
    public void rename(Map<String, String> renames) {
        for (Map.Entry<String, String> e : renames.entrySet()) {
            CommandSpec spec = commands.remove(e.getKey().toLowerCase(Locale.ROOT));
            if (spec == null) {
                throw new IllegalArgumentException("No such command in rename-command: " + e.getKey());
            }
            if (!e.getValue().isEmpty()) {
                commands.put(e.getValue().toLowerCase(Locale.ROOT), spec);
                renamed.put(e.getValue().toLowerCase(Locale.ROOT), spec.name);
            }
        }
    }

    public CommandSpec get(String lowerName) {
        return commands.get(lowerName);
    }

    /** Redis's lookupCommand: a container needs a known subcommand; returns null when either is unknown. */
    public CommandSpec lookup(byte[][] argv) {
        CommandSpec base = commands.get(lower(argv[0]));
        if (base == null || !base.isContainer() || argv.length == 1) {
            return base;
        }
        return base.subcommand(lower(argv[1]));
    }

    public boolean isContainer(byte[] name) {
        CommandSpec base = commands.get(lower(name));
        return base != null && base.isContainer();
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public static String lower(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            int x = b[i] & 0xff;
            c[i] = (char) (x >= 'A' && x <= 'Z' ? x + 32 : x);
        }
        return new String(c);
    }

    public static Decl cmd(String name, int arity, String flags, CommandHandler handler) {
        return new Decl(name, arity, flags, handler);
    }

    /** A declaration being built: one line per command in a family's table. */
    public static final class Decl {
        final String name;
        final int arity;
        final Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        final CommandHandler handler;
        final List<Decl> subcommands = new ArrayList<>();
        final List<String> acl = new ArrayList<>();
        final List<String> tips = new ArrayList<>();
        final List<KeySpec> keySpecs = new ArrayList<>();
        GetKeysProc getkeysProc;
        CommandDoc doc = CommandDoc.of("", "", "server", "", null);

        Decl(String name, int arity, String flagWords, CommandHandler handler) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
            this.handler = handler;
            for (String w : flagWords.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    flags.add(CommandFlag.valueOf(w.toUpperCase(Locale.ROOT)));
                }
            }
        }

        /**
         * Keys from argument {@code first} to {@code last} (negative counts from the end) every {@code step},
         * with their key-spec flags as COMMAND INFO shows them (e.g. "RO access", "RW update", "RM delete").
         */
        public Decl keys(int first, int last, int step, String keySpecFlags) {
            keySpecs.add(KeySpec.range(keySpecFlags, first, last, step));
            return this;
        }

        /**
         * Keys after a keyword (XREAD's "STREAMS", GEORADIUS's "STORE"): see {@link KeySpec#keyword}. The
         * command gets the movablekeys flag.
         */
        public Decl keywordKeys(String keyword, int startFrom, int lastKey, int step, int limit, String keySpecFlags) {
            keySpecs.add(KeySpec.keyword(keySpecFlags, keyword, startFrom, lastKey, step, limit));
            return this;
        }

        /**
         * A key spec whose keys cannot be found from the arguments (SORT's BY/GET and STORE): begin_search and
         * find_keys of type "unknown", with Redis's notes. The command gets the movablekeys flag.
         */
        public Decl unknownKeys(String keySpecFlags, String notes) {
            keySpecs.add(KeySpec.unknown(keySpecFlags, notes));
            return this;
        }

        /** Redis's "notes" of the last key spec declared. */
        public Decl keyNotes(String notes) {
            keySpecs.set(keySpecs.size() - 1, keySpecs.get(keySpecs.size() - 1).withNotes(notes));
            return this;
        }

        /** A keynum key spec (numkeys key [key ...]): the command gets the movablekeys flag. */
        public Decl keynum(int begin, int keynumIdx, int firstKeyAfter, int step, String keySpecFlags) {
            keySpecs.add(KeySpec.keynum(keySpecFlags, begin, keynumIdx, firstKeyAfter, step));
            return this;
        }

        /**
         * Redis's getkeys proc for COMMAND GETKEYS when the key specs cannot tell; without one the command gets
         * the proc Redis gives it by name or from its numkeys spec ({@link GetKeysProcs#forCommand}).
         */
        public Decl getkeys(GetKeysProc proc) {
            getkeysProc = proc;
            return this;
        }

        /** ACL categories beyond those implied by the flags, without '@' (e.g. "connection"). */
        public Decl acl(String categories) {
            for (String c : categories.trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    acl.add(c);
                }
            }
            return this;
        }

        /** Redis's command tips (e.g. "request_policy:all_shards"), space separated; COMMAND INFO shows them. */
        public Decl tips(String words) {
            tips.addAll(List.of(words.trim().split("\\s+")));
            return this;
        }

        public Decl doc(String summary, String since, String group, String complexity, String args) {
            doc = CommandDoc.of(summary, since, group, complexity, args);
            return this;
        }

        public Decl sub(Decl subcommand) {
            subcommands.add(subcommand);
            return this;
        }

        CommandSpec build(CommandSpec parent) {
            String full = parent == null ? name : parent.name + "|" + name;
            LegacyRange legacy = LegacyRange.of(keySpecs);
            Set<CommandFlag> all = EnumSet.copyOf(flags);
            all.remove(CommandFlag.MOVABLEKEYS);
            if (legacy.movable()) {
                all.add(CommandFlag.MOVABLEKEYS);
            }
            GetKeysProc proc = getkeysProc != null ? getkeysProc : GetKeysProcs.forCommand(full, keySpecs);
            return new CommandSpec(name, full, arity, all, legacy.first(), legacy.last(), legacy.step(), categories(),
                    tips, keySpecs, doc, handler, proc);
        }

        /** Explicit categories plus those Redis derives from the flags (setImplicitACLCategories). */
        private List<String> categories() {
            List<String> out = new ArrayList<>();
            if (flags.contains(CommandFlag.WRITE)) {
                out.add("write");
            }
            if (flags.contains(CommandFlag.READONLY) && !acl.contains("scripting")) {
                out.add("read");
            }
            if (flags.contains(CommandFlag.ADMIN)) {
                out.add("admin");
                out.add("dangerous");
            }
            if (flags.contains(CommandFlag.PUBSUB)) {
                out.add("pubsub");
            }
            if (flags.contains(CommandFlag.FAST)) {
                out.add("fast");
            }
            if (flags.contains(CommandFlag.BLOCKING)) {
                out.add("blocking");
            }
            if (!flags.contains(CommandFlag.FAST)) {
                out.add("slow");
            }
            for (String c : acl) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
            // COMMAND INFO lists categories in the order of Redis's ACL category table
            out.sort((a, b) -> Integer.compare(ACL_CATEGORIES.indexOf(a), ACL_CATEGORIES.indexOf(b)));
            return out;
        }
    }
}
