package io.cascade.server.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * An ACL user: its flags, its passwords (as SHA-256 hex, never in clear) and its selectors, the root one first.
 * Changed only through {@link #apply}, on a staged copy that replaces the user when every rule passed. Command
 * thread.
 */
public final class AclUser {
    public final String name;
    boolean enabled;
    boolean nopass;
    /** Neither flag, "skip-sanitize-payload" or "sanitize-payload" (null, true, false): RESTORE's check. */
    Boolean skipSanitizePayload;
    final List<String> passwords = new ArrayList<>();
    final List<AclSelector> selectors = new ArrayList<>();
    private final AclCommands commands;
    /** acl-pubsub-default is allchannels, as it is now: new selectors and "reset" start from it. */
    private final BooleanSupplier allChannelsByDefault;

    /** A new user, as ACLCreateUser leaves it: off, no password, no commands, keys or channels but the default. */
    AclUser(String name, AclCommands commands, BooleanSupplier allChannelsByDefault) {
        this.name = name;
        this.commands = commands;
        this.allChannelsByDefault = allChannelsByDefault;
        selectors.add(new AclSelector(commands, true, allChannelsByDefault.getAsBoolean()));
    }

    /** ACLCopyUser: the same rules under another name (the staged copy SETUSER changes). */
    AclUser copy(String newName) {
        AclUser u = new AclUser(newName, commands, allChannelsByDefault);
        u.assign(this);
        return u;
    }

    /** Takes src's rules in place: the connections authenticated as this user see them at once. */
    void assign(AclUser src) {
        enabled = src.enabled;
        nopass = src.nopass;
        skipSanitizePayload = src.skipSanitizePayload;
        passwords.clear();
        passwords.addAll(src.passwords);
        selectors.clear();
        for (AclSelector s : src.selectors) {
            selectors.add(s.copy());
        }
    }

    AclSelector root() {
        return selectors.get(0);
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** Redis's ACLSetUser: one rule; null when applied, else the reason in ACLSetUserStringError's words. */
    String apply(String op) {
        if (op.isEmpty()) {
            return null;
        }
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "skip-sanitize-payload" -> skipSanitizePayload = true;
            case "sanitize-payload" -> skipSanitizePayload = false;
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "clearselectors" -> selectors.subList(1, selectors.size()).clear();
            case "reset" -> {
                apply("resetpass");
                apply("resetkeys");
                apply("resetchannels");
                if (allChannelsByDefault.getAsBoolean()) {
                    apply("allchannels");
                }
                apply("off");
                apply("sanitize-payload");
                apply("clearselectors");
                apply("-@all");
            }
            default -> {
                return applyOther(op);
            }
        }
        return null;
    }

    private String applyOther(String op) {
        char first = op.charAt(0);
        if (first == '>' || first == '#') {
            String hash = first == '>' ? hash(op.substring(1)) : op.substring(1);
            if (first == '#' && !validHash(hash)) {
                return AclErrors.BAD_HASH;
            }
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            nopass = false;
            return null;
        }
        if (first == '<' || first == '!') {
            String hash = first == '<' ? hash(op.substring(1)) : op.substring(1);
            if (first == '!' && !validHash(hash)) {
                return AclErrors.BAD_HASH;
            }
            return passwords.remove(hash) ? null : AclErrors.NO_SUCH_PASSWORD;
        }
        if (first == '(' && op.endsWith(")")) {
            // aclCreateSelectorFromOpSet: the rules between the parentheses, split on spaces, on a new selector
            AclSelector selector = new AclSelector(commands, false, allChannelsByDefault.getAsBoolean());
            for (String rule : op.substring(1, op.length() - 1).split(" ")) {
                if (rule.isEmpty()) {
                    continue;
                }
                String error = selector.apply(rule.getBytes(StandardCharsets.ISO_8859_1));
                if (error != null) {
                    return error;
                }
            }
            selectors.add(selector);
            return null;
        }
        return root().apply(op.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Whether the password is one of this user's (or the user needs none); constant time per candidate. */
    boolean passwordMatches(byte[] password) {
        if (nopass) {
            return true;
        }
        byte[] candidate = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String p : passwords) {
            match |= MessageDigest.isEqual(candidate, p.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** ACLHashPassword: SHA-256 in lowercase hex. */
    static String hash(String cleartext) {
        return hash(cleartext.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String hash(byte[] cleartext) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cleartext));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** ACLCheckPasswordHash: exactly 64 lowercase hex characters. */
    private static boolean validHash(String hash) {
        if (hash.length() != 64) {
            return false;
        }
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The password hashes, in the order added. */
    public List<String> passwords() {
        return Collections.unmodifiableList(passwords);
    }

    /** The number of selectors, the root one (index 0) included. */
    public int selectorCount() {
        return selectors.size();
    }

    /** ACL GETUSER's "commands" of a selector: its command rules. */
    public String commandRules(int selector) {
        return AclRules.describe(selectors.get(selector));
    }

    /** ACL GETUSER's "keys" of a selector. */
    public String keys(int selector) {
        return selectors.get(selector).describeKeys();
    }

    /** ACL GETUSER's "channels" of a selector. */
    public String channels(int selector) {
        return selectors.get(selector).describeChannels();
    }

    /** ACL GETUSER's flags, in ACLUserFlags order. */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        out.add(enabled ? "on" : "off");
        if (nopass) {
            out.add("nopass");
        }
        if (skipSanitizePayload != null) {
            out.add(skipSanitizePayload ? "skip-sanitize-payload" : "sanitize-payload");
        }
        return out;
    }

    /** ACLDescribeUser: flags, "#hash" passwords, the root selector, then "(selector)"s; what ACL LIST shows. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (String f : flags()) {
            b.append(f).append(' ');
        }
        for (String p : passwords) {
            b.append('#').append(p).append(' ');
        }
        b.append(root().describe());
        for (AclSelector s : selectors.subList(1, selectors.size())) {
            b.append(" (").append(s.describe()).append(')');
        }
        return b.toString();
    }
}
