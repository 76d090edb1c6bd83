package io.cascade.server.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What COMMAND DOCS tells about a command (redis-cli builds its hints from it). Arguments are written in a
 * compact form close to Redis's documentation, e.g. {@code "key:key [NX|XX] [EX seconds:integer] field:string..."}:
 * {@code name:type} is an argument, an upper-case word a pure token ({@code name=TOKEN} when its name is
 * not the token's text), {@code TOKEN name:type} a token followed by its value, {@code [..]} optional,
 * {@code (..)} a group, {@code name:block(..)}, {@code name:oneof(a|b)} and {@code name:(..)} groups with
 * their own names, {@code a|b} one of, {@code ...} repeated.
 * Immutable once parsed.
 */
public record CommandDoc(String summary, String since, String group, String complexity, List<Arg> arguments) {

    /** One argument of COMMAND DOCS; type is string, integer, double, key, pattern, unix-time, pure-token, oneof or block. */
    public record Arg(String name, String type, String token, boolean optional, boolean multiple, List<Arg> children) {
        Arg with(boolean optionalFlag, boolean multipleFlag) {
            return new Arg(name, type, token, optionalFlag || optional, multipleFlag || multiple, children);
        }
    }

    public static CommandDoc of(String summary, String since, String group, String complexity, String args) {
        return new CommandDoc(summary, since, group, complexity, args == null || args.isBlank() ? List.of()
                : new Parser(args).parseAll());
    }

    /** Recursive-descent parser of the argument syntax above; runs once per command at startup. */
    private static final class Parser {
        private final String s;
        private int p;

        Parser(String s) {
            this.s = s;
        }

        List<Arg> parseAll() {
            List<Arg> args = sequence();
            skipSpace();
            if (p < s.length() && s.charAt(p) == '|') {
                // "ON|OFF" at the top level: one required choice
                p = 0;
                args = List.of(alternatives(false));
                skipSpace();
            }
            if (p != s.length()) {
                throw new IllegalArgumentException("unexpected '" + s.charAt(p) + "' at " + p + " in: " + s);
            }
            return args;
        }

        private List<Arg> sequence() {
            List<Arg> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (p >= s.length() || "])|".indexOf(s.charAt(p)) >= 0) {
                    return out;
                }
                out.add(item());
            }
        }

        private Arg item() {
            Arg a;
            char c = s.charAt(p);
            if (c == '[' || c == '(') {
                p++;
                a = alternatives(c == '[');
                expect(c == '[' ? ']' : ')');
            } else {
                a = atom();
            }
            if (s.startsWith("...", p)) {
                p += 3;
                a = a.with(false, true);
            }
            return a;
        }

        private Arg alternatives(boolean optional) {
            List<List<Arg>> alts = new ArrayList<>();
            alts.add(sequence());
            while (p < s.length() && s.charAt(p) == '|') {
                p++;
                alts.add(sequence());
            }
            Arg result;
            if (alts.size() == 1) {
                result = single(alts.get(0));
            } else {
                List<Arg> choices = new ArrayList<>();
                for (List<Arg> alt : alts) {
                    choices.add(single(alt));
                }
                result = new Arg(groupName(choices), "oneof", null, false, false, List.copyOf(choices));
            }
            return result.with(optional, false);
        }

        /** A sequence of one item is that item; of several, a block named after its first member. */
        private Arg single(List<Arg> items) {
            if (items.size() == 1) {
                return items.get(0);
            }
            return new Arg(items.get(0).name(), "block", null, false, false, List.copyOf(items));
        }

        private static String groupName(List<Arg> choices) {
            StringBuilder b = new StringBuilder();
            for (Arg a : choices) {
                b.append(b.length() == 0 ? "" : "-").append(a.name());
            }
            return b.length() > 40 ? choices.get(0).name() : b.toString();
        }

        private Arg atom() {
            String word = word();
            int colon = word.lastIndexOf(':');
            if (colon > 0) {
                return named(word, colon, null);
            }
            int eq = word.indexOf('=');
            if (eq > 0) {
                // "name=TOKEN": a pure token whose name is not its lower-cased text (MIGRATE's empty_string="")
                return new Arg(word.substring(0, eq), "pure-token", word.substring(eq + 1), false, false, List.of());
            }
            // a token: alone it is a pure token, followed by name:type it introduces that argument
            int save = p;
            skipSpace();
            if (p < s.length() && Character.isLowerCase(s.charAt(p))) {
                String next = word();
                int c2 = next.lastIndexOf(':');
                if (c2 > 0) {
                    return named(next, c2, word);
                }
            }
            p = save;
            return new Arg(word.toLowerCase(Locale.ROOT), "pure-token", word, false, false, List.of());
        }

        /**
         * "name:type", or "name:block(...)" / "name:oneof(a|b)" / "name:(...)": a group named explicitly, even of
         * one argument (PSUBSCRIBE's pattern, CLUSTER FAILOVER's options); token is the word before it, or null.
         */
        private Arg named(String word, int colon, String token) {
            String name = word.substring(0, colon);
            String type = word.substring(colon + 1);
            boolean group = type.isEmpty() || type.equals("block") || type.equals("oneof");
            if (!group || p >= s.length() || s.charAt(p) != '(') {
                return new Arg(name, type, token, false, false, List.of());
            }
            p++;
            List<Arg> items;
            if (type.equals("block")) {
                items = sequence();
            } else {
                items = new ArrayList<>();
                items.add(single(sequence()));
                while (p < s.length() && s.charAt(p) == '|') {
                    p++;
                    items.add(single(sequence()));
                }
                // "name:(a|b)" is a oneof, "name:(a b)" a block
                if (type.isEmpty() && items.size() == 1 && items.get(0).type().equals("block")) {
                    items = items.get(0).children();
                    type = "block";
                } else {
                    type = "oneof";
                }
            }
            expect(')');
            return new Arg(name, type, token, false, false, List.copyOf(items));
        }

        private String word() {
            int start = p;
            while (p < s.length() && " []()|".indexOf(s.charAt(p)) < 0 && !s.startsWith("...", p)) {
                p++;
            }
            if (start == p) {
                throw new IllegalArgumentException("expected an argument at " + p + " in: " + s);
            }
            return s.substring(start, p);
        }

        private void expect(char c) {
            skipSpace();
            if (p >= s.length() || s.charAt(p) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + p + " in: " + s);
            }
            p++;
        }

        private void skipSpace() {
            while (p < s.length() && s.charAt(p) == ' ') {
                p++;
            }
        }
    }
}
