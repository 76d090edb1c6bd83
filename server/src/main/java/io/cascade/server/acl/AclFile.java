package io.cascade.server.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeMap;

/**
 * The aclfile (Redis's ACLLoadFromFile and ACLSaveToFile): one "user NAME rules..." line per user. A load is
 * all or nothing: the users are rebuilt aside and replace the current ones only when every line applied. Command
 * thread.
 */
final class AclFile {
    private AclFile() {
    }

    /**
     * Reads the file into a fresh set of users. Returns the errors in Redis's words (the current users kept), or
     * null with the new set in fresh.
     */
    static String read(Acl acl, Path file, String displayName, TreeMap<String, AclUser> fresh) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + displayName + "': " + reason(e);
        }
        StringBuilder errors = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = trim(lines[i], " \t\r\n");
            if (line.isEmpty()) {
                continue;
            }
            // split on single spaces, as sdssplitlen: two spaces make an empty rule, which changes nothing
            String[] argv = line.split(" ", -1);
            if (!argv[0].equals("user") || argv.length < 2) {
                errors.append(displayName).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv[1];
            if (!Acl.validName(name.getBytes(StandardCharsets.ISO_8859_1))) {
                errors.append("'").append(displayName).append(':').append(lineNumber).append(": username '")
                        .append(name).append("' contains invalid characters. ");
                continue;
            }
            if (fresh.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNumber)
                        .append(". ");
                continue;
            }
            AclUser u = acl.newUser(name);
            fresh.put(name, u);
            List<String> rules = Acl.mergeSelectors(List.of(argv).subList(2, argv.length));
            if (rules == null) {
                errors.append(displayName).append(':').append(lineNumber)
                        .append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String rule : rules) {
                String op = trim(rule, "\t\r\n");
                String error = u.apply(op);
                if (error == null) {
                    continue;
                }
                if (error.equals(AclErrors.UNKNOWN_COMMAND)) {
                    // an unknown command holds no secret: every one is named
                    errors.append(displayName).append(':').append(lineNumber).append(": Error in applying operation '")
                            .append(op).append("': ").append(error).append(". ");
                } else if (!syntaxError) {
                    // other errors only once per line: the rule may hold a password
                    errors.append(displayName).append(':').append(lineNumber).append(": ").append(error).append(". ");
                    syntaxError = true;
                }
            }
        }
        if (errors.length() > 0) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was "
                    + "performed").toString();
        }
        return null;
    }

    /** ACL SAVE: every user as ACL LIST shows it, written to a temporary file then renamed over the old one. */
    static void write(Acl acl, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (AclUser u : acl.users()) {
            b.append("user ").append(u.name).append(' ').append(u.describe()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            Files.write(tmp, b.toString().getBytes(StandardCharsets.ISO_8859_1));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** strerror's words for the common failures. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    /** sdstrim: the given characters off both ends. */
    private static String trim(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }
}
