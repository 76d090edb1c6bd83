package io.cascade.server.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the keys of a command from its arguments as Redis 7.0's db.c does: by the key specs
 * (getKeysUsingKeySpecs), falling back to the command's getkeys proc when a spec cannot tell
 * (getKeysFromCommandWithSpecs). Used by COMMAND GETKEYS and GETKEYSANDFLAGS. Pure functions of the spec and argv.
 */
public final class GetKeys {
    private GetKeys() {
    }

    /** Redis's doesCommandHaveKeys: a getkeys proc, or a key spec that is not a "not_key" one (SPUBLISH's). */
    public static boolean hasKeys(CommandSpec cmd) {
        return cmd.getkeysProc != null || hasRealKeySpec(cmd);
    }

    /**
     * getKeysFromCommandWithSpecs: the key specs when they are reliable (no variable_flags) and can tell,
     * otherwise the command's getkeys proc; empty when neither finds a key.
     */
    public static List<KeyReference> fromCommand(CommandSpec cmd, byte[][] argv) {
        boolean varFlags = false;
        for (KeySpec ks : cmd.keySpecs) {
            varFlags |= (ks.flagBits() & KeyFlags.VARIABLE_FLAGS) != 0;
        }
        if (hasRealKeySpec(cmd) && !varFlags) {
            List<KeyReference> keys = usingKeySpecs(cmd, argv);
            if (keys != null) {
                return keys;
            }
        }
        return cmd.getkeysProc == null ? List.of() : cmd.getkeysProc.keys(argv);
    }

    private static boolean hasRealKeySpec(CommandSpec cmd) {
        for (KeySpec ks : cmd.keySpecs) {
            if ((ks.flagBits() & KeyFlags.NOT_KEY) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * getKeysUsingKeySpecs without GET_KEYSPEC_RETURN_PARTIAL: the keys of every spec in declaration order, or
     * null when a spec is unknown, incomplete or does not fit the arguments (then the proc decides). A keyword
     * that is absent gives no keys for its spec, which is not an error.
     */
    static List<KeyReference> usingKeySpecs(CommandSpec cmd, byte[][] argv) {
        int argc = argv.length;
        List<KeyReference> keys = new ArrayList<>();
        for (KeySpec ks : cmd.keySpecs) {
            int flags = ks.flagBits();
            if ((flags & KeyFlags.NOT_KEY) != 0) {
                continue;
            }
            if (ks.isUnknown()) {
                return null;
            }
            int first = ks.isKeyword() ? afterKeyword(ks, argv) : ks.beginIndex();
            if (first == 0) {
                continue;
            }
            int last;
            if (ks.isKeynum()) {
                int countAt = first + ks.keynumIdx();
                Long numkeys = countAt < argc ? Numbers.parseLong(argv[countAt]) : null;
                if (numkeys == null || numkeys < 0) {
                    return null;
                }
                first += ks.firstKey();
                last = first + numkeys.intValue() - 1;
            } else if (ks.lastKey() >= 0) {
                last = first + ks.lastKey();
            } else if (ks.limit() == 0) {
                last = argc + ks.lastKey();
            } else {
                // only "lastkey -1" takes a limit: the keys are 1/limit of what follows (XREAD's keys and IDs)
                last = first + ((argc - first) / ks.limit() + ks.lastKey());
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += ks.keyStep()) {
                keys.add(new KeyReference(i, flags));
            }
            if ((flags & KeyFlags.INCOMPLETE) != 0) {
                return null;
            }
        }
        return keys;
    }

    /**
     * The argument after the keyword, or 0 when it is absent. As Redis, the search stops one short of its end
     * (the last argument searching forwards, argument 1 searching backwards) and compares as C strings.
     */
    private static int afterKeyword(KeySpec ks, byte[][] argv) {
        int argc = argv.length;
        int start = ks.startFrom() > 0 ? ks.startFrom() : argc + ks.startFrom();
        int end = ks.startFrom() > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) {
                break;
            }
            if (CString.equalsIgnoreCase(argv[i], ks.keyword())) {
                return i + 1;
            }
        }
        return 0;
    }
}
