package io.cascade.server.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cascade.server.command.CString.equalsIgnoreCase;

/**
 * Redis 7.0's getkeys procs (db.c), one per command that has one, found by command name when the table is
 * built so that a family declaring GEORADIUS or MIGRATE gets Redis's proc without naming it; a numkeys
 * command (ZUNIONSTORE, EVAL, FCALL, LMPOP, ...) gets genericGetKeys derived from its keynum spec. The procs
 * keep Redis's quirks (SORT reports only the sorted key and STORE's; flags 0 where Redis gives none).
 * Pure functions.
 */
public final class GetKeysProcs {
    private static final Map<String, GetKeysProc> BY_NAME = Map.of(
            "sort", GetKeysProcs::sort,
            "sort_ro", argv -> List.of(new KeyReference(1, KeyFlags.RO | KeyFlags.ACCESS)),
            "migrate", GetKeysProcs::migrate,
            "georadius", GetKeysProcs::georadius,
            "georadiusbymember", GetKeysProcs::georadius,
            "xread", GetKeysProcs::xread,
            "xreadgroup", GetKeysProcs::xread,
            "set", GetKeysProcs::set,
            "bitfield", GetKeysProcs::bitfield);

    private GetKeysProcs() {
    }

    /** The proc Redis gives the command of this (full) name with these key specs, or null. */
    public static GetKeysProc forCommand(String fullName, List<KeySpec> specs) {
        GetKeysProc named = BY_NAME.get(fullName);
        if (named != null) {
            return named;
        }
        for (int i = 0; i < specs.size(); i++) {
            KeySpec ks = specs.get(i);
            if (ks.isKeynum() && !ks.isKeyword()) {
                // a single destination key declared just before the numkeys (ZUNIONSTORE's)
                KeySpec prev = i > 0 ? specs.get(i - 1) : null;
                int store = prev != null && prev.isIndexRange() && prev.lastKey() == 0 ? prev.beginIndex() : 0;
                return numkeys(store, ks.beginIndex() + ks.keynumIdx(), ks.beginIndex() + ks.firstKey(), ks.keyStep());
            }
        }
        return null;
    }

    /**
     * genericGetKeys: numkeys read with atoi (so "2abc" counts 2, where the key spec refuses it); none when it
     * is below 1 or more than the arguments hold; the destination, if any, comes last.
     */
    static GetKeysProc numkeys(int storeKeyOfs, int keyCountOfs, int firstKeyOfs, int keyStep) {
        return argv -> {
            int num = CString.atoi(argv[keyCountOfs]);
            if (num < 1 || num > (argv.length - firstKeyOfs) / keyStep) {
                return List.of();
            }
            List<KeyReference> keys = new ArrayList<>();
            for (int i = 0; i < num; i++) {
                keys.add(new KeyReference(firstKeyOfs + i * keyStep, 0));
            }
            if (storeKeyOfs != 0) {
                keys.add(new KeyReference(storeKeyOfs, 0));
            }
            return keys;
        };
    }

    /** sortGetKeys: the sorted key, and the key of the last STORE; BY and GET patterns are not reported. */
    static List<KeyReference> sort(byte[][] argv) {
        KeyReference store = null;
        for (int i = 2; i < argv.length; i++) {
            // Redis's skip list checks "limit" first and tests STORE beside it, then "get" and "by"
            if (equalsIgnoreCase(argv[i], "limit")) {
                i += 2;
            } else if (equalsIgnoreCase(argv[i], "store") && i + 1 < argv.length) {
                store = new KeyReference(i + 1, KeyFlags.OW | KeyFlags.UPDATE);
            } else if (equalsIgnoreCase(argv[i], "get") || equalsIgnoreCase(argv[i], "by")) {
                i += 1;
            }
        }
        KeyReference sorted = new KeyReference(1, KeyFlags.RO | KeyFlags.ACCESS);
        return store == null ? List.of(sorted) : List.of(sorted, store);
    }

    /** migrateGetKeys: argument 3, or with KEYS (and an empty key argument) everything after KEYS. */
    static List<KeyReference> migrate(byte[][] argv) {
        int first = 3;
        int num = 1;
        if (argv.length > 6) {
            for (int i = 6; i < argv.length; i++) {
                if (equalsIgnoreCase(argv[i], "keys")) {
                    if (CString.length(argv[3]) > 0) {
                        num = 0; // a syntax error MIGRATE reports itself
                    } else {
                        first = i + 1;
                        num = argv.length - first;
                    }
                    break;
                }
                if (equalsIgnoreCase(argv[i], "auth")) {
                    i += 1;
                } else if (equalsIgnoreCase(argv[i], "auth2")) {
                    i += 2;
                }
            }
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = 0; i < num; i++) {
            keys.add(new KeyReference(first + i, KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.DELETE));
        }
        return keys;
    }

    /** georadiusGetKeys: the key, and the last STORE or STOREDIST key from argument 5 on. */
    static List<KeyReference> georadius(byte[][] argv) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((equalsIgnoreCase(argv[i], "store") || equalsIgnoreCase(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        KeyReference key = new KeyReference(1, 0);
        return stored < 0 ? List.of(key) : List.of(key, new KeyReference(stored, 0));
    }

    /** xreadGetKeys: the first half of what follows STREAMS, after BLOCK, COUNT, GROUP and NOACK. */
    static List<KeyReference> xread(byte[][] argv) {
        int streams = -1;
        for (int i = 1; i < argv.length; i++) {
            byte[] a = argv[i];
            if (equalsIgnoreCase(a, "block") || equalsIgnoreCase(a, "count")) {
                i++;
            } else if (equalsIgnoreCase(a, "group")) {
                i += 2;
            } else if (equalsIgnoreCase(a, "noack")) {
                continue;
            } else {
                if (equalsIgnoreCase(a, "streams")) {
                    streams = i;
                }
                break;
            }
        }
        int num = streams < 0 ? 0 : argv.length - streams - 1;
        if (streams < 0 || num == 0 || num % 2 != 0) {
            return List.of();
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = streams + 1; i < argv.length - num / 2; i++) {
            keys.add(new KeyReference(i, 0));
        }
        return keys;
    }

    /** setGetKeys: the key is read and written with GET (looked at from argument 3), overwritten without. */
    static List<KeyReference> set(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) {
            if (equalsIgnoreCase(argv[i], "get")) {
                return List.of(new KeyReference(1, KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.UPDATE));
            }
        }
        return List.of(new KeyReference(1, KeyFlags.OW | KeyFlags.UPDATE));
    }

    /** bitfieldGetKeys: read-only while every operation is a GET or an OVERFLOW (a syntax error is not). */
    static List<KeyReference> bitfield(byte[][] argv) {
        boolean readonly = true;
        for (int i = 2; i < argv.length; i++) {
            int rest = argv.length - i - 1;
            if (equalsIgnoreCase(argv[i], "get") && rest >= 2) {
                i += 2;
            } else if ((equalsIgnoreCase(argv[i], "set") || equalsIgnoreCase(argv[i], "incrby")) && rest >= 3) {
                readonly = false;
                break;
            } else if (equalsIgnoreCase(argv[i], "overflow") && rest >= 1) {
                i += 1;
            } else {
                readonly = false;
                break;
            }
        }
        int flags = readonly ? KeyFlags.RO | KeyFlags.ACCESS : KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.UPDATE;
        return List.of(new KeyReference(1, flags));
    }
}
