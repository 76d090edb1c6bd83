package io.cascade.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * Codecs of Redis's special configs holding lists of numbers: save, client-output-buffer-limit,
 * oom-score-adj-values, latency-tracking-info-percentiles. Stateless; used on the config thread.
 */
final class SpecialCodecs {
    private SpecialCodecs() {
    }

    /** "save": pairs of seconds/changes; a single "" clears. Adds to {@code current} (the loader passes the rules of earlier lines). */
    static final class Save extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            boolean reset = args.size() == 1 && args.get(0).isEmpty();
            List<String> a = reset ? List.of() : args;
            if (a.size() % 2 != 0) {
                throw new BadValue("Invalid save parameters");
            }
            List<SaveRule> rules = new ArrayList<>();
            if (!reset && current != null) {
                @SuppressWarnings("unchecked")
                List<SaveRule> before = (List<SaveRule>) current;
                rules.addAll(before);
            }
            for (int j = 0; j < a.size(); j += 2) {
                CStrings.Strtoll secs = CStrings.strtoll(a.get(j), 10);
                CStrings.Strtoll changes = CStrings.strtoll(a.get(j + 1), 10);
                if (!secs.complete(a.get(j)) || secs.value() < 1 || !changes.complete(a.get(j + 1)) || changes.value() < 0) {
                    throw new BadValue("Invalid save parameters");
                }
                rules.add(new SaveRule(secs.value(), (int) changes.value())); // changes is a C int: truncated
            }
            return List.copyOf(rules);
        }

        @Override
        String format(Object value) {
            StringBuilder sb = new StringBuilder();
            for (SaveRule r : rules(value)) {
                sb.append(sb.length() == 0 ? "" : " ").append(r.seconds()).append(' ').append(r.changes());
            }
            return sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            // Always written, even at the default: an empty list must become 'save ""' to beat the defaults.
            if (rules(value).isEmpty()) {
                st.rewriteLine(e.name(), "save \"\"", true);
            }
            for (SaveRule r : rules(value)) {
                st.rewriteLine(e.name(), "save " + r.seconds() + " " + r.changes(), true);
            }
            st.markProcessed(e.name());
        }

        @SuppressWarnings("unchecked")
        private static List<SaveRule> rules(Object value) {
            return (List<SaveRule>) value;
        }
    }

    /** "client-output-buffer-limit": groups of class/hard/soft/seconds; classes not named keep their value. */
    static final class OutputBufferLimit extends Codec {
        static final String[] CLASSES = {"normal", "slave", "pubsub"};
        static final List<ClientOutputBufferLimit> DEFAULTS = List.of(
                new ClientOutputBufferLimit(0, 0, 0),
                new ClientOutputBufferLimit(256L << 20, 64L << 20, 60),
                new ClientOutputBufferLimit(32L << 20, 8L << 20, 60));

        /** getClientTypeByName without "master": 0 normal, 1 slave/replica, 2 pubsub, -1 otherwise. */
        static int classIndex(String name) {
            return switch (Codecs.lower(name)) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
        }

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            if (args.size() % 4 != 0) {
                throw new BadValue("Wrong number of arguments in buffer limit configuration.");
            }
            @SuppressWarnings("unchecked")
            List<ClientOutputBufferLimit> now = current == null ? DEFAULTS : (List<ClientOutputBufferLimit>) current;
            ClientOutputBufferLimit[] next = now.toArray(new ClientOutputBufferLimit[0]);
            for (int j = 0; j < args.size(); j += 4) {
                int cls = classIndex(args.get(j));
                if (cls < 0) {
                    throw new BadValue("Invalid client class specified in buffer limit configuration.");
                }
                String secText = args.get(j + 3);
                CStrings.Strtoll secs = CStrings.strtoll(secText, 10);
                int seconds = (int) secs.value(); // a C int: truncated before the sign check
                if (!MemoryUnits.isValid(args.get(j + 1)) || !MemoryUnits.isValid(args.get(j + 2))
                        || seconds < 0 || !secs.complete(secText)) {
                    throw new BadValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                }
                next[cls] = new ClientOutputBufferLimit(MemoryUnits.parse(args.get(j + 1)),
                        MemoryUnits.parse(args.get(j + 2)), seconds);
            }
            return List.of(next);
        }

        @Override
        String format(Object value) {
            List<ClientOutputBufferLimit> limits = limits(value);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < CLASSES.length; i++) {
                ClientOutputBufferLimit l = limits.get(i);
                sb.append(i == 0 ? "" : " ").append(CLASSES[i]).append(' ')
                        .append(Long.toUnsignedString(l.hardLimitBytes())).append(' ')
                        .append(Long.toUnsignedString(l.softLimitBytes())).append(' ').append(l.softLimitSeconds());
            }
            return sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            List<ClientOutputBufferLimit> limits = limits(value);
            for (int i = 0; i < CLASSES.length; i++) {
                ClientOutputBufferLimit l = limits.get(i);
                String cls = i == 1 ? "replica" : CLASSES[i]; // rewritten with the new name
                String line = e.name() + " " + cls + " " + MemoryUnits.formatForRewrite(l.hardLimitBytes()) + " "
                        + MemoryUnits.formatForRewrite(l.softLimitBytes()) + " " + l.softLimitSeconds();
                st.rewriteLine(e.name(), line, !l.equals(DEFAULTS.get(i)));
            }
        }

        @SuppressWarnings("unchecked")
        static List<ClientOutputBufferLimit> limits(Object value) {
            return (List<ClientOutputBufferLimit>) value;
        }
    }

    /** "oom-score-adj-values": exactly three numbers in -2000..2000 (master, replica, background child). */
    static final class OomScoreAdjValues extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            if (args.size() != 3) {
                throw new BadValue("wrong number of arguments");
            }
            List<Long> values = new ArrayList<>();
            for (String a : args) {
                CStrings.Strtoll r = CStrings.strtoll(a, 10);
                if (!r.complete(a) || r.value() < -2000 || r.value() > 2000) {
                    throw new BadValue("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
                }
                values.add(r.value());
            }
            return List.copyOf(values);
        }

        @Override
        String format(Object value) {
            StringBuilder sb = new StringBuilder();
            for (Object v : (List<?>) value) {
                sb.append(sb.length() == 0 ? "" : " ").append(v);
            }
            return sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            st.rewriteLine(e.name(), e.name() + " " + format(value), !value.equals(Codecs.defaultOf(e)));
        }
    }

    /** "latency-tracking-info-percentiles": numbers in [0, 100]; a single "" means none. */
    static final class Percentiles extends Codec {
        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            if (args.size() == 1 && args.get(0).isEmpty()) {
                return List.of();
            }
            List<Double> out = new ArrayList<>();
            for (String a : args) {
                Double d = CStrings.string2d(a);
                if (d == null) {
                    throw new BadValue("Invalid latency-tracking-info-percentiles parameters");
                }
                if (d > 100.0 || d < 0.0) {
                    throw new BadValue("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
                }
                out.add(d);
            }
            return List.copyOf(out);
        }

        @Override
        String format(Object value) {
            StringBuilder sb = new StringBuilder();
            for (Object d : (List<?>) value) {
                sb.append(sb.length() == 0 ? "" : " ").append(CStrings.trimDouble(CStrings.formatFixed((Double) d, 6)));
            }
            return sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            String f = format(value);
            st.rewriteLine(e.name(), e.name() + " " + (f.isEmpty() ? "\"\"" : f), true);
        }
    }
}
