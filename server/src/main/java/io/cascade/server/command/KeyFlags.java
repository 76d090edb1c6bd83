package io.cascade.server.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The access flags of a key (CMD_KEY_* in Redis) as bits, and their words in the order COMMAND INFO and
 * COMMAND GETKEYSANDFLAGS print them (addReplyFlagsForKeyArgs). Pure functions.
 */
public final class KeyFlags {
    /** Redis's order; bit i is WORDS.get(i). */
    private static final List<String> WORDS = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", "not_key", "incomplete", "variable_flags");

    public static final int RO = bit("RO");
    public static final int RW = bit("RW");
    public static final int OW = bit("OW");
    public static final int ACCESS = bit("access");
    public static final int UPDATE = bit("update");
    public static final int INSERT = bit("insert");
    public static final int DELETE = bit("delete");
    public static final int NOT_KEY = bit("not_key");
    public static final int INCOMPLETE = bit("incomplete");
    public static final int VARIABLE_FLAGS = bit("variable_flags");

    private KeyFlags() {
    }

    private static int bit(String word) {
        return 1 << WORDS.indexOf(word);
    }

    /** The bits of the given words; an unknown word is a declaration error. */
    public static int bits(List<String> words) {
        int bits = 0;
        for (String w : words) {
            int i = WORDS.indexOf(w);
            if (i < 0) {
                throw new IllegalArgumentException("unknown key-spec flag: " + w);
            }
            bits |= 1 << i;
        }
        return bits;
    }

    /** The words of the bits, in Redis's order. */
    public static List<String> words(int bits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < WORDS.size(); i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(WORDS.get(i));
            }
        }
        return out;
    }
}
