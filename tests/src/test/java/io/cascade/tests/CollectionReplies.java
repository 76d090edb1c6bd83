package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.Twin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Comparisons for collection replies whose order is Redis's hash order (hashtable encodings) or random:
 * the same reply shape and the same elements in any order. Used by HashesIT and SetsIT on the test thread.
 */
final class CollectionReplies {
    private CollectionReplies() {
    }

    /** The raw reply with every bulk string's content dropped: types, lengths and nesting only. */
    static String shape(String raw) {
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < raw.length()) {
            int end = raw.indexOf("\r\n", p);
            String line = raw.substring(p, end);
            p = end + 2;
            char t = line.charAt(0);
            if ((t == '$' || t == '=') && !line.equals("$-1")) {
                p += Integer.parseInt(line.substring(1)) + 2;
                out.append(t).append(' ');
            } else {
                out.append(line).append(' ');
            }
        }
        return out.toString();
    }

    /** Every string of a parsed reply, depth first. */
    static List<String> flat(String raw) {
        List<String> out = new ArrayList<>();
        flatten(RespText.parse(raw), out);
        return out;
    }

    private static void flatten(Object o, List<String> out) {
        if (o instanceof List<?> l) {
            for (Object x : l) {
                flatten(x, out);
            }
        } else {
            out.add(String.valueOf(o));
        }
    }

    /** The reply's strings in groups of {@code group} (field and value), the groups sorted. */
    static List<String> groupsSorted(String raw, int group) {
        List<String> f = flat(raw);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < f.size(); i += group) {
            groups.add(String.join("\u0000", f.subList(i, Math.min(f.size(), i + group))));
        }
        groups.sort(null);
        return groups;
    }

    /** Same shape and the same elements (in groups of {@code group}) in any order; returns Redis's reply. */
    static String sameUnordered(Twin.Session s, int group, String... command) throws IOException {
        String r = s.redis.call(command);
        String c = s.cascade.call(command);
        String what = "reply to " + String.join(" ", command);
        assertEquals(shape(r), shape(c), what + " (shape)");
        assertEquals(groupsSorted(r, group), groupsSorted(c, group), what + " (elements)");
        return c;
    }

    /** Same shape only (random replies); returns Cascade's reply for property checks. */
    static String sameShape(Twin.Session s, String... command) throws IOException {
        String r = s.redis.call(command);
        String c = s.cascade.call(command);
        assertEquals(shape(r), shape(c), "reply to " + String.join(" ", command) + " (shape)");
        return c;
    }

    /** Switches both connections to RESP2 or RESP3 (HELLO's own reply differs: server version, client id). */
    static void hello(Twin.Session s, int protocol) throws IOException {
        s.redis.call("HELLO", Integer.toString(protocol));
        s.cascade.call("HELLO", Integer.toString(protocol));
    }

    /** OBJECT ENCODING compared, once Cascade has OBJECT (another family brings it). */
    static void sameEncodingIfAvailable(Twin.Session s, String key) throws IOException {
        String r = s.redis.call("OBJECT", "ENCODING", key);
        String c = s.cascade.call("OBJECT", "ENCODING", key);
        if (!c.startsWith("-ERR unknown command")) {
            assertEquals(r, c, "OBJECT ENCODING " + key);
        }
    }

    /** DEBUG DIGEST on both, once Cascade has DEBUG (another family brings it). */
    static void sameDigestIfAvailable(Twin twin) throws IOException {
        try (RawConnection c = new RawConnection(twin.cascade.port())) {
            if (c.call("DEBUG", "DIGEST").startsWith("-ERR unknown command")) {
                return;
            }
        }
        twin.sameDigest();
    }
}
