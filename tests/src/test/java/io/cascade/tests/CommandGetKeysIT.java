package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS / COUNT / LIST compared with redis-server: every command Cascade has is
 * called with arguments built from Redis's own COMMAND DOCS (required only, every optional one, each choice),
 * so a family added later is covered without touching this test; then the getkeys procs' quirks by hand.
 */
@ExtendWith(Servers.class)
class CommandGetKeysIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @Test
    void everyCommandWithArgumentsFromRedisDocs() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (Twin.Session s = twin.session()) {
            for (String name : commandList(s.cascade)) {
                Object docs = RespText.parse(s.redis.call("COMMAND", "DOCS", name));
                List<?> args = field(entry((List<?>) docs, name), "arguments");
                List<String> prefix = List.of(name.split("\\|"));
                for (Variant v : Variant.values()) {
                    List<String> argv = new ArrayList<>(prefix);
                    new ArgBuilder(v).add(args == null ? List.of() : args, argv);
                    for (String sub : List.of("GETKEYS", "GETKEYSANDFLAGS")) {
                        List<String> call = new ArrayList<>(List.of("COMMAND", sub));
                        call.addAll(argv);
                        String[] c = call.toArray(new String[0]);
                        String expected = s.redis.call(c);
                        String actual = s.cascade.call(c);
                        compared++;
                        if (!expected.equals(actual)) {
                            mismatches.add(String.join(" ", c) + "\n  redis:   " + expected.replace("\r\n", " ")
                                    + "\n  cascade: " + actual.replace("\r\n", " "));
                        }
                    }
                }
            }
        }
        assertTrue(compared > 1000, "compared " + compared);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
    }

    @Test
    void errors() throws IOException {
        twin.same("COMMAND", "GETKEYS");
        twin.same("COMMAND", "GETKEYS", "get");
        twin.same("COMMAND", "GETKEYS", "nosuch", "a");
        twin.same("COMMAND", "GETKEYS", "config", "nosuch", "a");
        twin.same("COMMAND", "GETKEYS", "config", "get", "maxmemory");
        twin.same("COMMAND", "GETKEYS", "ping", "a");
        twin.same("COMMAND", "GETKEYS", "get", "a", "b");
        twin.same("COMMAND", "GETKEYS", "mset", "a", "b", "c");
        twin.same("COMMAND", "GETKEYS", "spublish", "chan", "msg");
        twin.same("COMMAND", "GETKEYS", "ssubscribe", "chan");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "lmpop", "0", "a", "left");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "GET", "a");
        twin.same("COMMAND", "getkeys", "Get", "a");
    }

    @Test
    void numkeysAsKeySpecsAndAsRedisFallsBack() throws IOException {
        // a numkeys the key spec accepts gives the destination first; one only atoi accepts goes to Redis's
        // genericGetKeys, which puts the destination last
        for (String numkeys : List.of("2", "2abc", " 2", "+2", "02", "0", "-1", "3", "abc", "99999999999", "1\u0000x")) {
            twin.same("COMMAND", "GETKEYS", "zunionstore", "dst", numkeys, "a", "b");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "zinterstore", "dst", numkeys, "a", "b", "WEIGHTS", "1", "2");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "zunion", numkeys, "a", "b");
            twin.same("COMMAND", "GETKEYS", "sintercard", numkeys, "a", "b");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "lmpop", numkeys, "a", "b", "LEFT");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "blmpop", "0", numkeys, "a", "b", "LEFT");
            twin.same("COMMAND", "GETKEYS", "zmpop", numkeys, "a", "b", "MIN");
            twin.same("COMMAND", "GETKEYS", "bzmpop", "1", numkeys, "a", "b", "MAX");
        }
        for (String cmd : List.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro")) {
            if (has(cmd)) {
                for (String numkeys : List.of("0", "1", "2", "2x", "-1", "3")) {
                    twin.same("COMMAND", "GETKEYSANDFLAGS", cmd, "script", numkeys, "a", "b");
                }
            }
        }
    }

    @Test
    void sortReportsTheSortedKeyAndTheLastStore() throws IOException {
        twin.same("COMMAND", "GETKEYSANDFLAGS", "sort", "a");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "sort", "a", "BY", "w_*", "GET", "#", "GET", "n_*", "STORE", "dst");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "sort", "a", "STORE", "d1", "LIMIT", "0", "1", "store", "d2");
        twin.same("COMMAND", "GETKEYS", "sort", "a", "LIMIT", "STORE", "x", "y");
        twin.same("COMMAND", "GETKEYS", "sort", "a", "GET", "STORE", "x");
        twin.same("COMMAND", "GETKEYS", "sort", "a", "BY", "STORE");
        twin.same("COMMAND", "GETKEYS", "sort", "a", "STORE");
        twin.same("COMMAND", "GETKEYS", "sort", "a", "STORE\u0000x", "d");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "sort_ro", "a", "BY", "w_*", "GET", "#");
    }

    @Test
    void variableFlagsOfSetAndBitfield() throws IOException {
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "get");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "NX", "GET", "EX", "10");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get\u0000z");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "getx");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "OVERFLOW", "SAT", "GET", "i4", "2");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8", "0", "SET", "u8", "0", "1");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "INCRBY", "u8", "0", "1");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "GET", "u8");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield", "k", "bogus");
        twin.same("COMMAND", "GETKEYSANDFLAGS", "bitfield_ro", "k", "GET", "u8", "0");
    }

    /** Commands other families add (streams, geo, MIGRATE): compared once Cascade has them. */
    @Test
    void keywordSearchesOfCommandsCascadeMayHave() throws IOException {
        if (has("xread")) {
            twin.same("COMMAND", "GETKEYSANDFLAGS", "xread", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0");
            twin.same("COMMAND", "GETKEYS", "xread", "STREAMS", "s1", "s2", "0");
            twin.same("COMMAND", "GETKEYS", "xread", "COUNT", "streams", "STREAMS", "a", "b");
            twin.same("COMMAND", "GETKEYS", "xread", "BLOCK", "0", "STREAMS");
            twin.same("COMMAND", "GETKEYS", "xread", "a", "b", "c");
        }
        if (has("xreadgroup")) {
            twin.same("COMMAND", "GETKEYSANDFLAGS", "xreadgroup", "GROUP", "g", "c", "NOACK", "STREAMS", "s", ">");
            twin.same("COMMAND", "GETKEYS", "xreadgroup", "GROUP", "streams", "c", "STREAMS", "s", ">");
        }
        if (has("georadius")) {
            twin.same("COMMAND", "GETKEYSANDFLAGS", "georadius", "g", "1", "2", "3", "km", "STORE", "d");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "georadius", "g", "1", "2", "3", "km", "STORE", "d", "STOREDIST", "e");
            twin.same("COMMAND", "GETKEYS", "georadius", "g", "1", "2", "3", "km", "STORE");
            twin.same("COMMAND", "GETKEYS", "georadiusbymember", "g", "m", "3", "km", "STOREDIST", "d", "COUNT", "1");
        }
        if (has("migrate")) {
            twin.same("COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "1", "k", "0", "10");
            twin.same("COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "1", "", "0", "10", "COPY", "KEYS", "a", "b");
            twin.same("COMMAND", "GETKEYS", "migrate", "h", "1", "k", "0", "10", "KEYS", "a", "b");
            twin.same("COMMAND", "GETKEYS", "migrate", "h", "1", "", "0", "10", "AUTH", "keys", "KEYS", "a");
            twin.same("COMMAND", "GETKEYS", "migrate", "h", "1", "", "0", "10", "AUTH2", "u", "keys", "KEYS", "a");
        }
    }

    @Test
    void countAndListAgreeWithTheTable() throws IOException {
        try (Twin.Session s = twin.session()) {
            Set<String> cascade = commandList(s.cascade);
            Set<String> redis = commandList(s.redis);
            assertTrue(redis.containsAll(cascade), "commands Redis does not have: " + minus(cascade, redis));
            long topLevel = cascade.stream().filter(n -> !n.contains("|")).count();
            assertEquals(":" + topLevel + "\r\n", s.cascade.call("COMMAND", "COUNT"));
            for (String cat : List.of("read", "write", "keyspace", "string", "list", "hash", "set", "sortedset",
                    "bitmap", "hyperloglog", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
                    "transaction", "scripting", "stream", "geo", "FAST", "nosuchcat")) {
                sameRestricted(s, cascade, "ACLCAT", cat);
            }
            for (String pattern : List.of("*", "z*", "config|*", "*get*", "s[a-e]*", "?et", "nomatch*")) {
                sameRestricted(s, cascade, "PATTERN", pattern);
            }
            sameRestricted(s, cascade, "MODULE", "nosuchmodule");
            s.same("COMMAND", "LIST", "FILTERBY", "bogus", "x");
            s.same("COMMAND", "LIST", "FILTERBY", "ACLCAT");
            s.same("COMMAND", "LIST", "bogus");
            s.same("COMMAND", "COUNT", "x");
            s.same("COMMAND", "HELP");
        }
    }

    /** COMMAND LIST FILTERBY on both, as sets, Redis's restricted to the commands Cascade has. */
    private static void sameRestricted(Twin.Session s, Set<String> cascadeCommands, String filter, String arg)
            throws IOException {
        Set<String> expected = names(s.redis.call("COMMAND", "LIST", "FILTERBY", filter, arg));
        expected.retainAll(cascadeCommands);
        Set<String> actual = names(s.cascade.call("COMMAND", "LIST", "FILTERBY", filter, arg));
        assertEquals(expected, actual, "COMMAND LIST FILTERBY " + filter + " " + arg);
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private boolean has(String command) throws IOException {
        return twin.cascade.jedis().commandList().contains(command);
    }

    private static Set<String> commandList(RawConnection c) throws IOException {
        return names(c.call("COMMAND", "LIST"));
    }

    private static Set<String> names(String reply) {
        Set<String> out = new TreeSet<>();
        for (Object o : (List<?>) RespText.parse(reply)) {
            out.add((String) o);
        }
        return out;
    }

    /** The value of a flat RESP2 map (a list of alternating keys and values), or null. */
    @SuppressWarnings("unchecked")
    private static <T> T field(List<?> map, String key) {
        if (map == null) {
            return null;
        }
        for (int i = 0; i + 1 < map.size(); i += 2) {
            if (key.equals(map.get(i))) {
                return (T) map.get(i + 1);
            }
        }
        return null;
    }

    /** COMMAND DOCS of a subcommand nests it under its container's "subcommands". */
    private static List<?> entry(List<?> docs, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return field(docs, name);
        }
        return field(field(field(docs, name.substring(0, bar)), "subcommands"), name);
    }

    /** Which arguments of the docs a call includes. */
    private enum Variant { REQUIRED, ALL_FIRST_CHOICE, ALL_LAST_CHOICE, REQUIRED_TWOS }

    /** Builds one call from COMMAND DOCS arguments: keys k1, k2, ...; numbers 1 (or 2); tokens as written. */
    private static final class ArgBuilder {
        private final Variant v;
        private int keys;

        ArgBuilder(Variant v) {
            this.v = v;
        }

        void add(List<?> args, List<String> out) {
            for (Object a : args) {
                List<?> arg = (List<?>) a;
                List<?> flags = field(arg, "flags");
                boolean optional = flags != null && flags.contains("optional");
                boolean multiple = flags != null && flags.contains("multiple");
                if (optional && (v == Variant.REQUIRED || v == Variant.REQUIRED_TWOS)) {
                    continue;
                }
                int times = multiple && v != Variant.REQUIRED ? 2 : 1;
                for (int t = 0; t < times; t++) {
                    one(arg, out);
                }
            }
        }

        private void one(List<?> arg, List<String> out) {
            String token = field(arg, "token");
            if (token != null) {
                out.add(token);
            }
            String type = field(arg, "type");
            switch (type) {
                case "pure-token" -> {
                }
                case "block" -> add(field(arg, "arguments"), out);
                case "oneof" -> {
                    List<?> choices = field(arg, "arguments");
                    Object pick = v == Variant.ALL_LAST_CHOICE ? choices.get(choices.size() - 1) : choices.get(0);
                    add(List.of(pick), out);
                }
                case "key" -> out.add("k" + (++keys));
                case "integer", "unix-time" -> out.add(v == Variant.REQUIRED_TWOS ? "2" : "1");
                case "double" -> out.add("1.5");
                case "pattern" -> out.add("p*");
                default -> out.add("s");
            }
        }
    }
}
