package io.cascade.server.acl;

import io.cascade.conf.Config;
import io.cascade.conf.Log;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The ACL users and what they may do (Redis's acl.c): the "default" user every connection starts as, the users
 * ACL SETUSER and "user" directives define, the check before each command, and the ACL log. Command thread, but
 * for {@link #authRequired}, which the I/O threads read.
 */
public final class Acl {
    public static final String DEFAULT_USER = "default";

    private final AclCommands commands;
    private final Config config;
    /** By name, in byte order (the order of Redis's radix tree, which ACL LIST and ACL USERS follow). */
    private final TreeMap<String, AclUser> users = new TreeMap<>();
    private final AclUser defaultUser;
    public final AclLog log;
    /** Called with a user whose channels were narrowed: its subscribed connections are checked (and dropped). */
    private Consumer<AclUser> channelsNarrowedHook = u -> { };
    /** The default user has a password or is off: new connections must AUTH first. */
    private volatile boolean authRequired;

    /** A refusal of a command, with the argument (key or channel) that caused it. */
    public record Denied(AclLog.Reason reason, int argPos) {
    }

    public Acl(CommandTable table, Config config) {
        this.commands = new AclCommands(table);
        this.config = config;
        this.log = new AclLog(() -> config.getLong("acllog-max-len"));
        this.defaultUser = createDefaultUser();
        users.put(DEFAULT_USER, defaultUser);
        String requirepass = config.getString("requirepass");
        if (requirepass != null && !requirepass.isEmpty()) {
            setDefaultPassword(requirepass);
        }
        config.onChange("requirepass", (old, cfg) -> {
            setDefaultPassword(cfg.getString("requirepass"));
            return null;
        });
        refreshAuthRequired();
    }

    /** ACLCreateDefaultUser: every command, key and channel, no password. */
    private AclUser createDefaultUser() {
        AclUser u = newUser(DEFAULT_USER);
        for (String rule : List.of("+@all", "~*", "&*", "on", "nopass")) {
            u.apply(rule);
        }
        return u;
    }

    AclUser newUser(String name) {
        return new AclUser(name, commands, () -> config.getString("acl-pubsub-default").equals("allchannels"));
    }

    /**
     * The "user" directives of the config file, applied in order at startup (ACLLoadConfiguredUsers): a
     * "default" one resets that user first. Returns false, having logged why, when Redis would refuse to start.
     */
    public boolean loadConfigUsers(List<List<String>> directives) {
        List<String> seen = new ArrayList<>();
        for (List<String> d : directives) {
            String name = d.get(0);
            if (seen.contains(name)) {
                Log.warning("Error in user declaration '%s': %s", name, AclErrors.DUPLICATE_USER);
                return false;
            }
            seen.add(name);
            if (!validName(name.getBytes(StandardCharsets.ISO_8859_1))) {
                Log.warning("Spaces not allowed in ACL usernames");
                return false;
            }
            List<byte[]> rules = new ArrayList<>();
            if (name.equals(DEFAULT_USER)) {
                rules.add("reset".getBytes(StandardCharsets.ISO_8859_1));
            }
            for (String rule : d.subList(1, d.size())) {
                rules.add(rule.getBytes(StandardCharsets.ISO_8859_1));
            }
            String error = setUser(name, rules);
            if (error != null) {
                Log.warning("Error loading ACL rules for the user named '%s': %s", name, error);
                return false;
            }
            if (!users.get(name).enabled) {
                Log.notice("The user '%s' is disabled (there is no 'on' modifier in the user description). Make "
                        + "sure this is not a configuration error.", name);
            }
        }
        return true;
    }

    /** ACLUpdateDefaultUserPassword: requirepass sets the default user's only password, or nopass when empty. */
    private void setDefaultPassword(String password) {
        defaultUser.apply("resetpass");
        defaultUser.apply(password == null || password.isEmpty() ? "nopass" : ">" + password);
        refreshAuthRequired();
    }

    private void refreshAuthRequired() {
        authRequired = !defaultUser.nopass || !defaultUser.enabled;
    }

    /** Whether a connection must authenticate before anything but AUTH, HELLO and the like (authRequired()). */
    public boolean authRequired() {
        return authRequired;
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    public AclUser user(String name) {
        return users.get(name);
    }

    /** Every user, ordered by name. */
    public Collection<AclUser> users() {
        return Collections.unmodifiableCollection(users.values());
    }

    /**
     * Every user as a "user" directive's arguments: its name, then its rules as ACL LIST shows them (CONFIG
     * REWRITE's lines; a selector's rules spread over several arguments read back merged).
     */
    public List<List<String>> asDirectives() {
        List<List<String>> out = new ArrayList<>();
        for (AclUser u : users.values()) {
            List<String> d = new ArrayList<>();
            d.add(u.name);
            d.addAll(List.of(u.describe().split(" ")));
            out.add(d);
        }
        return out;
    }

    /**
     * ACLStringSetUser: the rules, "(" selectors spread over several arguments merged first, staged on a copy
     * of the user (or a new one) and taken only when every one applies. Returns null, or the error to reply.
     */
    public String setUser(String name, List<byte[]> args) {
        List<String> ops = new ArrayList<>();
        for (byte[] a : args) {
            ops.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        List<String> merged = mergeSelectors(ops);
        if (merged == null) {
            String start = ops.stream().filter(op -> op.startsWith("(") && !op.endsWith(")")).reduce((a, b) -> b)
                    .orElse("");
            return "Unmatched parenthesis in acl selector starting at '" + start + "'.";
        }
        AclUser existing = users.get(name);
        AclUser staged = existing != null ? existing.copy(name) : newUser(name);
        for (String op : merged) {
            String error = staged.apply(op);
            if (error != null) {
                return "Error in ACL SETUSER modifier '" + op + "': " + error;
            }
        }
        if (existing != null) {
            boolean narrowed = channelsNarrowed(staged, existing);
            existing.assign(staged);
            if (narrowed) {
                channelsNarrowedHook.accept(existing);
            }
        } else {
            users.put(name, staged);
        }
        refreshAuthRequired();
        return null;
    }

    public void onChannelsNarrowed(Consumer<AclUser> hook) {
        this.channelsNarrowedHook = hook;
    }

    /**
     * ACLMergeSelectorArguments: a "(" selector spread over several arguments becomes one; null when one is left
     * open.
     */
    static List<String> mergeSelectors(List<String> ops) {
        List<String> merged = new ArrayList<>();
        StringBuilder selector = null;
        for (String op : ops) {
            if (op.startsWith("(") && !op.endsWith(")")) {
                selector = new StringBuilder(op);
            } else if (selector != null) {
                selector.append(' ').append(op);
                if (op.endsWith(")")) {
                    merged.add(selector.toString());
                    selector = null;
                }
            } else {
                merged.add(op);
            }
        }
        return selector == null ? merged : null;
    }

    /**
     * ACL LOAD (and an aclfile at startup): the file's users replace the current ones when it has no error; the
     * default user keeps its identity and takes the file's rules (or the default ones). Returns the errors, or
     * null with the users no longer defined (or redefined) in removed, whose connections must go.
     */
    public String loadFile(Path file, String displayName, List<AclUser> removed) {
        TreeMap<String, AclUser> fresh = new TreeMap<>();
        String errors = AclFile.read(this, file, displayName, fresh);
        if (errors != null) {
            return errors;
        }
        AclUser newDefault = fresh.remove(DEFAULT_USER);
        if (newDefault == null) {
            newDefault = createDefaultUser();
        }
        defaultUser.assign(newDefault);
        for (AclUser u : users.values()) {
            if (u != defaultUser) {
                removed.add(u);
            }
        }
        users.clear();
        users.putAll(fresh);
        users.put(DEFAULT_USER, defaultUser);
        refreshAuthRequired();
        return null;
    }

    /** ACL SAVE. */
    public void saveFile(Path file) throws IOException {
        AclFile.write(this, file);
    }

    /** A user name may hold neither a blank nor a NUL (ACLStringHasSpaces). */
    public static boolean validName(byte[] name) {
        return !AclSelector.hasSpaces(name);
    }

    /** Removes a user (never "default"); returns it, or null when there was none. */
    public AclUser removeUser(String name) {
        return name.equals(DEFAULT_USER) ? null : users.remove(name);
    }

    /** ACLCheckUserCredentials: the user exists, is on, and the password is one of its own (or it needs none). */
    public AclUser authenticate(byte[] name, byte[] password) {
        AclUser u = users.get(new String(name, StandardCharsets.ISO_8859_1));
        if (u == null || !u.enabled || !u.passwordMatches(password)) {
            return null;
        }
        return u;
    }

    /**
     * ACLCheckAllUserCommandPerm: null when one of the user's selectors allows the whole command; otherwise the
     * refusal to report, the command itself when no selector allows it, else the last key or channel refused.
     * A null user (the master's link) may run anything.
     */
    public Denied check(AclUser user, CommandSpec spec, byte[][] argv) {
        if (user == null) {
            return null;
        }
        AclSelector.Denial relevant = AclSelector.Denial.COMMAND;
        int lastPos = 0;
        for (AclSelector s : user.selectors) {
            AclSelector.Refusal r = s.check(spec, argv);
            if (r == null) {
                return null;
            }
            if (r.denial().compareTo(relevant) > 0 || (r.denial() == relevant && r.argPos() > lastPos)) {
                relevant = r.denial();
                lastPos = r.argPos();
            }
        }
        return new Denied(switch (relevant) {
            case COMMAND -> AclLog.Reason.COMMAND;
            case KEY -> AclLog.Reason.KEY;
            case CHANNEL -> AclLog.Reason.CHANNEL;
        }, lastPos);
    }

    /**
     * ACLUserCheckCmdWithUnrestrictedKeyAccess: some selector allows the whole command and reaches every key with
     * the access of keySpecFlags (SORT's BY and GET read keys its arguments do not name). A null user may.
     */
    public boolean unrestrictedKeyAccess(AclUser user, CommandSpec spec, byte[][] argv, int keySpecFlags) {
        if (user == null) {
            return true;
        }
        for (AclSelector s : user.selectors) {
            if (s.check(spec, argv) == null && s.unrestrictedKeyAccess(keySpecFlags)) {
                return true;
            }
        }
        return false;
    }

    /** addACLLogEntry for a refused command: its name, or the key or channel refused, is the entry's object. */
    public void logRefusal(Denied denied, String context, AclUser user, CommandSpec spec, byte[][] argv,
                           String clientInfo) {
        byte[] object = denied.reason() == AclLog.Reason.COMMAND
                ? spec.fullName.getBytes(StandardCharsets.ISO_8859_1) : argv[denied.argPos()];
        log.add(denied.reason(), context, object, user.name, clientInfo);
    }

    /**
     * ACLKillPubsubClientsIfNeeded's first half: the new rules drop some channel the old ones allowed (so the
     * user's subscribed connections must be checked). Compared before the change, on the staged rules.
     */
    static boolean channelsNarrowed(AclUser next, AclUser original) {
        for (AclSelector s : next.selectors) {
            if (s.allChannels) {
                return false;
            }
        }
        List<byte[]> upcoming = new ArrayList<>();
        for (AclSelector s : next.selectors) {
            upcoming.addAll(s.channels);
        }
        for (AclSelector s : original.selectors) {
            if (s.allChannels) {
                return true;
            }
            for (byte[] c : s.channels) {
                if (upcoming.stream().noneMatch(u -> Arrays.equals(u, c))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The channels every selector of the user allows, for checking a subscribed connection after a change. */
    public static List<byte[]> channelsOf(AclUser user) {
        List<byte[]> out = new ArrayList<>();
        for (AclSelector s : user.selectors) {
            out.addAll(s.channels);
        }
        return out;
    }

    /** Whether any selector of the user has every channel. */
    public static boolean allChannels(AclUser user) {
        return user.selectors.stream().anyMatch(s -> s.allChannels);
    }

    /** A channel (or literal pattern) is in the list as ACLCheckChannelAgainstList matches it. */
    public static boolean channelIn(List<byte[]> list, byte[] channel, boolean isPattern) {
        return AclSelector.channelIn(list, channel, isPattern);
    }

    /** ACL CAT's categories, or a category's commands and subcommands (null when there is no such category). */
    public List<String> categoryMembers(String category) {
        List<CommandSpec> members = commands.category(category);
        if (members == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (CommandSpec spec : members) {
            out.add(spec.fullName);
        }
        return out;
    }
}
