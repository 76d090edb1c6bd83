package io.cascade.server.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One command's declaration, as Redis's redisCommand struct: name, arity (negative = at least), flags, key
 * positions, ACL categories and the documentation COMMAND DOCS returns. Built once at startup, then immutable.
 * A container command (CONFIG, CLIENT, COMMAND) has subcommands and no handler of its own.
 */
public final class CommandSpec {
    public final String name;
    public final String fullName;
    public final int arity;
    public final Set<CommandFlag> flags;
    public final int firstKey;
    public final int lastKey;
    public final int keyStep;
    public final List<String> aclCategories;
    public final List<String> tips;
    public final List<KeySpec> keySpecs;
    public final CommandDoc doc;
    public final CommandHandler handler;
    /** Redis's getkeys_proc, for COMMAND GETKEYS when the key specs cannot tell; null when there is none. */
    public final GetKeysProc getkeysProc;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    CommandSpec parent;

    CommandSpec(String name, String fullName, int arity, Set<CommandFlag> flags, int firstKey, int lastKey, int keyStep,
                List<String> aclCategories, List<String> tips, List<KeySpec> keySpecs, CommandDoc doc,
                CommandHandler handler, GetKeysProc getkeysProc) {
        this.name = name;
        this.fullName = fullName;
        this.arity = arity;
        this.flags = flags.isEmpty() ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(flags);
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.aclCategories = List.copyOf(aclCategories);
        this.tips = List.copyOf(tips);
        this.keySpecs = List.copyOf(keySpecs);
        this.doc = doc;
        this.handler = handler;
        this.getkeysProc = getkeysProc;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    public CommandSpec subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    void addSubcommand(CommandSpec sub) {
        sub.parent = this;
        subcommands.put(sub.name.toLowerCase(Locale.ROOT), sub);
    }

    public CommandSpec parent() {
        return parent;
    }

    /** Arity check as commandCheckArity: exact when positive, a minimum when negative. */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }
}
