package io.cascade.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Codecs of Redis's special configs holding words, addresses and paths: notify-keyspace-events, bind, replicaof,
 * dir, and the placeholder of file-only directives. Stateless; used on the config thread.
 */
final class SpecialTextCodecs {
    private SpecialTextCodecs() {
    }

    /** "notify-keyspace-events": class characters, kept as Redis's NOTIFY_* bits. */
    static final class NotifyKeyspaceEvents extends Codec {
        static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
                SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
                KEY_MISS = 1 << 11, MODULE = 1 << 13, NEW = 1 << 14;
        static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            String s = one(args);
            long flags = 0;
            for (int i = 0; i < s.length() && s.charAt(i) != 0; i++) { // a C string ends at NUL
                flags |= switch (s.charAt(i)) {
                    case 'A' -> ALL;
                    case 'g' -> GENERIC;
                    case '$' -> STRING;
                    case 'l' -> LIST;
                    case 's' -> SET;
                    case 'h' -> HASH;
                    case 'z' -> ZSET;
                    case 'x' -> EXPIRED;
                    case 'e' -> EVICTED;
                    case 'K' -> KEYSPACE;
                    case 'E' -> KEYEVENT;
                    case 't' -> STREAM;
                    case 'm' -> KEY_MISS;
                    case 'd' -> MODULE;
                    case 'n' -> NEW;
                    default -> throw new BadValue("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                };
            }
            return flags;
        }

        @Override
        String format(Object value) {
            long f = (Long) value;
            StringBuilder sb = new StringBuilder();
            if ((f & ALL) == ALL) {
                sb.append('A');
            } else {
                String order = "g$lshzxetdn";
                int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};
                for (int i = 0; i < bits.length; i++) {
                    if ((f & bits[i]) != 0) {
                        sb.append(order.charAt(i));
                    }
                }
            }
            if ((f & KEYSPACE) != 0) {
                sb.append('K');
            }
            if ((f & KEYEVENT) != 0) {
                sb.append('E');
            }
            if ((f & KEY_MISS) != 0) {
                sb.append('m');
            }
            return sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            st.rewriteLine(e.name(), e.name() + " " + CStrings.repr(format(value)), (Long) value != 0);
        }
    }

    /** "bind": up to 16 addresses; a single "" means none. */
    static final class Bind extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            if (args.size() > 16) {
                throw new BadValue("Too many bind addresses specified.");
            }
            return args.size() == 1 && args.get(0).isEmpty() ? List.of() : List.copyOf(args);
        }

        @Override
        String format(Object value) {
            return String.join(" ", addresses(value));
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            if (value.equals(Codecs.defaultOf(e))) {
                st.markProcessed(e.name()); // at the default: old bind lines are dropped
                return;
            }
            List<String> a = addresses(value);
            st.rewriteLine(e.name(), e.name() + " " + (a.isEmpty() ? "\"\"" : String.join(" ", a)), true);
        }

        @SuppressWarnings("unchecked")
        private static List<String> addresses(Object value) {
            return (List<String>) value;
        }
    }

    /** "replicaof host port" or "replicaof no one"; null when not a replica. */
    static final class ReplicaOf extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            if (args.size() != 2) {
                throw new BadValue("wrong number of arguments");
            }
            if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
                return null;
            }
            CStrings.Strtoll port = CStrings.strtoll(args.get(1), 10);
            int p = (int) port.value(); // masterport is a C int
            if (p < 0 || p > 65535 || !port.complete(args.get(1))) {
                throw new BadValue("Invalid master port");
            }
            return new HostPort(args.get(0), p);
        }

        /** The default is no master, printed ""; in a file that is written "replicaof no one". */
        @Override
        Object parseDefault(ConfigEntry entry, String text) throws BadValue {
            return text.isEmpty() ? null : parse(entry.splitSetValue(text), null, null);
        }

        @Override
        String format(Object value) {
            return value == null ? "" : value.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            if (value == null) {
                st.markProcessed(e.name()); // a master: replicaof lines go away
                return;
            }
            st.rewriteLine(e.name(), e.name() + " " + value, true);
        }
    }

    /**
     * "dir": Redis chdir()s, so a relative dir is relative to the previous one, and CONFIG GET prints getcwd()
     * (symlinks resolved). Cascade does not chdir; it keeps the resolved absolute path instead.
     */
    static final class Dir extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            String arg = one(args);
            Path base = current == null ? Path.of("").toAbsolutePath() : Path.of((String) current);
            if (arg.isEmpty() || arg.indexOf(0) >= 0) {
                throw new BadValue("No such file or directory");
            }
            Path p = base.resolve(arg);
            if (!Files.exists(p)) {
                throw new BadValue("No such file or directory");
            }
            if (!Files.isDirectory(p)) {
                throw new BadValue("Not a directory");
            }
            if (!Files.isExecutable(p)) {
                throw new BadValue("Permission denied");
            }
            try {
                return p.toRealPath().toString();
            } catch (IOException e) {
                throw new BadValue(CStrings.strerror(e));
            }
        }

        @Override
        String format(Object value) {
            return (String) value;
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            st.rewriteLine(e.name(), e.name() + " " + CStrings.repr((String) value), true);
        }
    }

    /** Directives handled by the loader itself (include, rename-command, user, loadmodule, sentinel, deprecated). */
    static final class FileOnly extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            throw new BadValue("not a runtime config");
        }

        @Override
        String format(Object value) {
            return "";
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            // the rewriter handles user and loadmodule; the others keep their lines untouched
        }
    }
}
