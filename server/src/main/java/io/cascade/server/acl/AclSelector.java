package io.cascade.server.acl;

import io.cascade.conf.Glob;
import io.cascade.conf.Log;
import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.GetKeys;
import io.cascade.server.command.KeyFlags;
import io.cascade.server.command.KeyReference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One set of permissions of a user (Redis's aclSelector): the commands allowed, as a bit per command id, the key
 * patterns (each for reading, writing or both) and the Pub/Sub channel patterns. A user has a root selector and
 * any number of "(...)" ones; a command is allowed when one selector allows all of it. Command thread.
 */
final class AclSelector {
    /** Read and write permission bits of a key pattern (ACL_READ_PERMISSION, ACL_WRITE_PERMISSION). */
    static final int READ = 1;
    static final int WRITE = 2;
    static final int ALL = READ | WRITE;

    /** Why a check failed, in Redis's order of relevance (ACL_DENIED_CMD < KEY < CHANNEL). */
    enum Denial { COMMAND, KEY, CHANNEL }

    /** A key pattern with what it grants. */
    static final class KeyPattern {
        final byte[] pattern;
        int flags;

        KeyPattern(byte[] pattern, int flags) {
            this.pattern = pattern;
            this.flags = flags;
        }

        /** sdsCatPatternString: "~p", "%R~p" or "%W~p". */
        String describe() {
            String prefix = flags == ALL ? "~" : flags == READ ? "%R~" : "%W~";
            return prefix + new String(pattern, StandardCharsets.ISO_8859_1);
        }
    }

    /** The outcome of a check: null when allowed, else the denial and the argument that caused it. */
    record Refusal(Denial denial, int argPos) {
    }

    final boolean root;
    final AclCommands commands;
    boolean allKeys;
    boolean allChannels;
    /** SELECTOR_FLAG_ALLCOMMANDS: skip the bit test; cleared as soon as one command is taken away. */
    boolean allCommands;
    /** The reserved bit +@all sets: the user may run commands added later (what ACL LIST starts from). */
    boolean future;
    final BitSet allowed;
    /** Command id to the first arguments allowed of an otherwise blocked command (+select|0); null when none. */
    Map<Integer, List<String>> firstArgs;
    final List<KeyPattern> patterns;
    final List<byte[]> channels;

    AclSelector(AclCommands commands, boolean root, boolean allChannelsByDefault) {
        this.commands = commands;
        this.root = root;
        this.allChannels = allChannelsByDefault;
        this.allowed = new BitSet(commands.count());
        this.patterns = new ArrayList<>();
        this.channels = new ArrayList<>();
    }

    private AclSelector(AclSelector src) {
        this.commands = src.commands;
        this.root = src.root;
        this.allKeys = src.allKeys;
        this.allChannels = src.allChannels;
        this.allCommands = src.allCommands;
        this.future = src.future;
        this.allowed = (BitSet) src.allowed.clone();
        if (src.firstArgs != null) {
            firstArgs = new HashMap<>();
            src.firstArgs.forEach((id, args) -> firstArgs.put(id, new ArrayList<>(args)));
        }
        this.patterns = new ArrayList<>();
        for (KeyPattern p : src.patterns) {
            patterns.add(new KeyPattern(p.pattern, p.flags));
        }
        this.channels = new ArrayList<>(src.channels);
    }

    AclSelector copy() {
        return new AclSelector(this);
    }

    /**
     * ACLSetSelector: applies one rule. Returns null, or the reason it is refused in ACLSetUserStringError's
     * words (the caller adds "Error in ACL SETUSER modifier ...").
     */
    String apply(byte[] opBytes) {
        String op = new String(opBytes, StandardCharsets.ISO_8859_1);
        String lower = op.toLowerCase(Locale.ROOT);
        if (lower.equals("allkeys") || op.equals("~*")) {
            allKeys = true;
            patterns.clear();
        } else if (lower.equals("resetkeys")) {
            allKeys = false;
            patterns.clear();
        } else if (lower.equals("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (lower.equals("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (lower.equals("allcommands") || lower.equals("+@all")) {
            allowed.set(0, commands.count());
            allCommands = true;
            future = true;
            firstArgs = null;
        } else if (lower.equals("nocommands") || lower.equals("-@all")) {
            allowed.clear();
            allCommands = false;
            future = false;
            firstArgs = null;
        } else if (op.startsWith("~") || op.startsWith("%")) {
            return addKeyPattern(op);
        } else if (op.startsWith("&")) {
            if (allChannels) {
                return AclErrors.CHANNEL_AFTER_ALL;
            }
            byte[] pattern = Arrays.copyOfRange(opBytes, 1, opBytes.length);
            if (hasSpaces(pattern)) {
                return AclErrors.SYNTAX;
            }
            if (channels.stream().noneMatch(c -> Arrays.equals(c, pattern))) {
                channels.add(pattern);
            }
            allChannels = false;
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            List<CommandSpec> members = commands.category(lower.substring(2));
            if (members == null) {
                return AclErrors.UNKNOWN_COMMAND;
            }
            for (CommandSpec spec : members) {
                change(spec, op.charAt(0) == '+');
            }
        } else if (op.startsWith("+")) {
            return allow(op.substring(1));
        } else if (op.startsWith("-")) {
            CommandSpec spec = commands.lookup(op.substring(1));
            if (spec == null) {
                return AclErrors.UNKNOWN_COMMAND;
            }
            change(spec, false);
        } else {
            return AclErrors.SYNTAX;
        }
        return null;
    }

    /** "~pattern", "%R~pattern", "%W~pattern", "%RW~pattern". */
    private String addKeyPattern(String op) {
        if (allKeys) {
            return AclErrors.KEY_AFTER_ALL;
        }
        int flags = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (flags & READ) == 0) {
                    flags |= READ;
                } else if (ch == 'W' && (flags & WRITE) == 0) {
                    flags |= WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    return AclErrors.SYNTAX;
                }
            }
        } else {
            flags = ALL;
        }
        byte[] pattern = op.substring(offset).getBytes(StandardCharsets.ISO_8859_1);
        if (hasSpaces(pattern)) {
            return AclErrors.SYNTAX;
        }
        for (KeyPattern p : patterns) {
            if (Arrays.equals(p.pattern, pattern)) {
                p.flags |= flags; // the same pattern again widens it
                return null;
            }
        }
        patterns.add(new KeyPattern(pattern, flags));
        allKeys = false;
        return null;
    }

    /** "+cmd", "+container|sub", or the deprecated "+cmd|firstarg" of a command without subcommands. */
    private String allow(String name) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec spec = commands.lookup(name);
            if (spec == null) {
                return AclErrors.UNKNOWN_COMMAND;
            }
            change(spec, true);
            return null;
        }
        CommandSpec base = commands.lookup(name.substring(0, bar));
        if (base == null) {
            return AclErrors.UNKNOWN_COMMAND;
        }
        if (base.parent() != null) {
            return AclErrors.FIRST_ARG_OF_SUBCOMMAND;
        }
        String sub = name.substring(bar + 1);
        if (sub.isEmpty()) {
            return AclErrors.SYNTAX;
        }
        if (base.isContainer()) {
            CommandSpec spec = commands.lookup(name);
            if (spec == null) {
                return AclErrors.UNKNOWN_COMMAND;
            }
            change(spec, true);
            return null;
        }
        Log.warning("Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL "
                + "and may get disabled in the future (offender: +%s)", name);
        if (firstArgs == null) {
            firstArgs = new HashMap<>();
        }
        List<String> args = firstArgs.computeIfAbsent(commands.id(base), k -> new ArrayList<>());
        if (args.stream().noneMatch(a -> a.equalsIgnoreCase(sub))) {
            args.add(sub);
        }
        return null;
    }

    /** ACLChangeSelectorPerm: a command's bit, its subcommands' too; its allowed first arguments are dropped. */
    void change(CommandSpec spec, boolean allow) {
        int id = commands.id(spec);
        setBit(id, allow);
        if (firstArgs != null) {
            firstArgs.remove(id);
        }
        for (CommandSpec sub : spec.subcommands().values()) {
            setBit(commands.id(sub), allow);
        }
    }

    private void setBit(int id, boolean allow) {
        if (allow) {
            allowed.set(id);
        } else {
            allowed.clear(id);
            allCommands = false;
        }
    }

    /** ACLSelectorCheckCmd: null when this selector allows the whole command. */
    Refusal check(CommandSpec spec, byte[][] argv) {
        if (!allCommands && !spec.has(CommandFlag.NO_AUTH)) {
            int id = commands.id(spec);
            if (!allowed.get(id) && !firstArgAllowed(id, argv)) {
                return new Refusal(Denial.COMMAND, 0);
            }
        }
        if (!allKeys && GetKeys.hasKeys(spec)) {
            for (KeyReference k : GetKeys.fromCommand(spec, argv)) {
                if (!keyAllowed(argv[k.pos()], k.flags())) {
                    return new Refusal(Denial.KEY, k.pos());
                }
            }
        }
        if (!allChannels) {
            AclChannels.Use use = AclChannels.of(spec);
            if (use != null) {
                for (int i = use.first(); i <= use.last(argv.length); i++) {
                    if (!channelAllowed(argv[i], use.pattern())) {
                        return new Refusal(Denial.CHANNEL, i);
                    }
                }
            }
        }
        return null;
    }

    private boolean firstArgAllowed(int id, byte[][] argv) {
        List<String> args = firstArgs == null ? null : firstArgs.get(id);
        if (args == null || argv.length < 2) {
            return false;
        }
        String first = new String(argv[1], StandardCharsets.ISO_8859_1);
        return args.stream().anyMatch(a -> a.equalsIgnoreCase(first));
    }

    /** ACLSelectorCheckKey: a pattern granting every permission the key's access needs matches it. */
    boolean keyAllowed(byte[] key, int keySpecFlags) {
        if (allKeys) {
            return true;
        }
        int needs = needs(keySpecFlags);
        for (KeyPattern p : patterns) {
            if ((p.flags & needs) == needs && Glob.match(p.pattern, key, false)) {
                return true;
            }
        }
        return false;
    }

    /** ACLSelectorHasUnrestrictedKeyAccess: all keys, or a "*" pattern granting what keySpecFlags need. */
    boolean unrestrictedKeyAccess(int keySpecFlags) {
        if (allKeys) {
            return true;
        }
        int needs = needs(keySpecFlags);
        for (KeyPattern p : patterns) {
            if ((p.flags & needs) == needs && p.pattern.length == 1 && p.pattern[0] == '*') {
                return true;
            }
        }
        return false;
    }

    /** The permissions a key's spec flags need: access reads, insert, delete and update write. */
    static int needs(int keySpecFlags) {
        int needs = 0;
        if ((keySpecFlags & KeyFlags.ACCESS) != 0) {
            needs |= READ;
        }
        if ((keySpecFlags & (KeyFlags.INSERT | KeyFlags.DELETE | KeyFlags.UPDATE)) != 0) {
            needs |= WRITE;
        }
        return needs;
    }

    /**
     * ACLCheckChannelAgainstList: a channel is matched against the patterns; a PSUBSCRIBE pattern only equals one
     * of them literally (a pattern cannot be proven narrower than another).
     */
    boolean channelAllowed(byte[] channel, boolean isPattern) {
        return allChannels || channelIn(channels, channel, isPattern);
    }

    static boolean channelIn(List<byte[]> list, byte[] channel, boolean isPattern) {
        for (byte[] p : list) {
            if (isPattern ? Arrays.equals(p, channel) : Glob.match(p, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** ACLStringHasSpaces: a blank or a NUL. */
    static boolean hasSpaces(byte[] s) {
        for (byte b : s) {
            if (b == ' ' || b == 0) {
                return true;
            }
        }
        return false;
    }

    /** ACLDescribeSelector: keys, channels, then the command rules, as ACL LIST shows them. */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (allKeys) {
            b.append("~* ");
        } else {
            for (KeyPattern p : patterns) {
                b.append(p.describe()).append(' ');
            }
        }
        if (allChannels) {
            b.append("&* ");
        } else {
            b.append("resetchannels ");
            for (byte[] c : channels) {
                b.append('&').append(new String(c, StandardCharsets.ISO_8859_1)).append(' ');
            }
        }
        b.append(AclRules.describe(this));
        return b.toString();
    }

    /** ACL GETUSER's "keys": the patterns joined by spaces ("~*" for allkeys). */
    String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        List<String> out = new ArrayList<>();
        for (KeyPattern p : patterns) {
            out.add(p.describe());
        }
        return String.join(" ", out);
    }

    /** ACL GETUSER's "channels". */
    String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        List<String> out = new ArrayList<>();
        for (byte[] c : channels) {
            out.add("&" + new String(c, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", out);
    }
}
