package io.cascade.conf;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The codecs of Redis's generic config types (bool, numeric, enum, string), with their exact error texts.
 * Stateless; used on the config thread.
 */
final class Codecs {
    private Codecs() {
    }

    /** An extra check after parsing: returns null when fine or Redis's reason. cfg may be null (defaults). */
    interface Check<T> extends BiFunction<T, Config, String> {
    }

    /** yes/no (case-insensitive), printed "yes"/"no". */
    static final class Bool extends Codec {
        private final Check<Boolean> check;

        Bool(Check<Boolean> check) {
            this.check = check;
        }

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            String v = one(args);
            Boolean b = v.equalsIgnoreCase("yes") ? Boolean.TRUE : v.equalsIgnoreCase("no") ? Boolean.FALSE : null;
            if (b == null) {
                throw new BadValue("argument must be 'yes' or 'no'");
            }
            checked(check, b, cfg);
            return b;
        }

        @Override
        String format(Object value) {
            return (Boolean) value ? "yes" : "no";
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            st.rewriteLine(e.name(), e.name() + " " + format(value), !value.equals(defaultOf(e)));
        }
    }

    /** Numbers, with Redis's memory, percent and octal forms and its signed/unsigned bound checks. */
    static final class Num extends Codec {
        static final int MEMORY = 1;
        static final int PERCENT = 2;
        static final int OCTAL = 4;

        private final int kind;
        private final long lower;
        private final long upper;
        private final boolean unsigned;

        Num(int kind, long lower, long upper, boolean unsigned) {
            this.kind = kind;
            this.lower = lower;
            this.upper = upper;
            this.unsigned = unsigned;
        }

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            long v = parseNumber(one(args));
            checkBounds(v);
            return v;
        }

        /** numericParseString: memory first, then percent, then octal, then a strict integer. */
        private long parseNumber(String s) throws BadValue {
            if ((kind & MEMORY) != 0 && MemoryUnits.isValid(s)) {
                return MemoryUnits.parse(s);
            }
            if ((kind & PERCENT) != 0 && s.length() > 1 && s.endsWith("%")) {
                Long pct = CStrings.string2ll(s.substring(0, s.length() - 1));
                if (pct != null && pct >= 0) {
                    return -pct; // percentages are kept negative, as Redis does
                }
            }
            if ((kind & OCTAL) != 0) {
                CStrings.Strtoll r = CStrings.strtoll(s, 8);
                if (!r.overflow() && r.complete(s)) {
                    return r.value();
                }
            }
            if (kind == 0) {
                Long v = CStrings.string2ll(s);
                if (v != null) {
                    return v;
                }
            }
            if ((kind & MEMORY) != 0 && (kind & PERCENT) != 0) {
                throw new BadValue("argument must be a memory or percent value");
            } else if ((kind & MEMORY) != 0) {
                throw new BadValue("argument must be a memory value");
            } else if ((kind & OCTAL) != 0) {
                throw new BadValue("argument couldn't be parsed as an octal number");
            }
            throw new BadValue("argument couldn't be parsed into an integer");
        }

        /** numericBoundaryCheck, including its message formats (%llu, %llo, %lld). */
        private void checkBounds(long v) throws BadValue {
            if (unsigned) {
                if (Long.compareUnsigned(v, upper) > 0 || Long.compareUnsigned(v, lower) < 0) {
                    if ((kind & OCTAL) != 0) {
                        throw new BadValue("argument must be between " + Long.toOctalString(lower) + " and "
                                + Long.toOctalString(upper) + " inclusive");
                    }
                    throw new BadValue("argument must be between " + Long.toUnsignedString(lower) + " and "
                            + Long.toUnsignedString(upper) + " inclusive");
                }
            } else if ((kind & PERCENT) != 0 && v < 0) {
                if (v < lower) {
                    throw new BadValue("percentage argument must be less or equal to " + -lower);
                }
            } else if (v > upper || v < lower) {
                throw new BadValue("argument must be between " + lower + " and " + upper + " inclusive");
            }
        }

        @Override
        String format(Object value) {
            long v = (Long) value;
            if ((kind & PERCENT) != 0 && v < 0) {
                return -v + "%";
            } else if ((kind & MEMORY) != 0) {
                return Long.toUnsignedString(v);
            } else if ((kind & OCTAL) != 0) {
                return Long.toOctalString(v);
            }
            return Long.toString(v);
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            long v = (Long) value;
            String text;
            if ((kind & PERCENT) != 0 && v < 0) {
                text = -v + "%";
            } else if ((kind & MEMORY) != 0) {
                text = MemoryUnits.formatForRewrite(v);
            } else {
                text = format(value);
            }
            st.rewriteLine(e.name(), e.name() + " " + text, !value.equals(defaultOf(e)));
        }
    }

    /** One word from a list; or, for bit-flag enums (shutdown-on-sigint), several words or-ed together. */
    static final class Enum extends Codec {
        private final String[] names;
        private final int[] values;
        private final boolean bitflags;
        private final Check<Integer> check;

        Enum(String[] names, int[] values, boolean bitflags, Check<Integer> check) {
            this.names = names;
            this.values = values;
            this.bitflags = bitflags;
            this.check = check;
        }

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            Integer v = lookup(args);
            if (v == null) {
                throw new BadValue("argument(s) must be one of the following: " + String.join(", ", names));
            }
            checked(check, v, cfg);
            return v;
        }

        /** configEnumGetValue: null when no match (INT_MIN in C). */
        private Integer lookup(List<String> args) {
            if (args.isEmpty() || (!bitflags && args.size() != 1)) {
                return null;
            }
            int acc = 0;
            for (String a : args) {
                boolean matched = false;
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equalsIgnoreCase(a)) {
                        acc |= values[i];
                        matched = true;
                    }
                }
                if (!matched) {
                    return null;
                }
            }
            return acc;
        }

        /** configEnumGetName: first exact value match, else (bit flags) the words covering it, else "unknown". */
        @Override
        String format(Object value) {
            int v = (Integer) value;
            StringBuilder sb = new StringBuilder();
            int unmatched = v;
            for (int i = 0; i < names.length; i++) {
                if (values[i] == v) {
                    return names[i];
                }
                if (bitflags && values[i] != 0 && values[i] == (unmatched & values[i])) {
                    sb.append(sb.length() == 0 ? "" : " ").append(names[i]);
                    unmatched &= ~values[i];
                }
            }
            return sb.length() == 0 || unmatched != 0 ? "unknown" : sb.toString();
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            st.rewriteLine(e.name(), e.name() + " " + format(value), !value.equals(defaultOf(e)));
        }
    }

    /** Text. With emptyIsNull an empty value means "not set": printed "", and left out of a rewritten file. */
    static final class Str extends Codec {
        private final boolean emptyIsNull;
        private final String defaultValue; // null when Redis's default is NULL
        private final Check<String> check;

        Str(boolean emptyIsNull, String defaultValue, Check<String> check) {
            this.emptyIsNull = emptyIsNull;
            this.defaultValue = defaultValue;
            this.check = check;
        }

        @Override
        Object parse(List<String> args, Object current, Config cfg) throws BadValue {
            String v = one(args);
            checked(check, v, cfg);
            return emptyIsNull && v.isEmpty() ? null : v;
        }

        @Override
        String format(Object value) {
            return value == null ? "" : (String) value;
        }

        @Override
        void rewrite(RewriteState st, ConfigEntry e, Object value) {
            if (value == null) {
                st.markProcessed(e.name()); // not set: any old lines go away
                return;
            }
            boolean force = !Objects.equals(value, defaultValue);
            st.rewriteLine(e.name(), e.name() + " " + CStrings.repr((String) value), force);
        }
    }

    static <T> void checked(Check<T> check, T value, Config cfg) throws Codec.BadValue {
        if (check != null) {
            String err = check.apply(value, cfg);
            if (err != null) {
                throw new Codec.BadValue(err);
            }
        }
    }

    /** The entry's default in parsed form. */
    static Object defaultOf(ConfigEntry e) {
        return ConfigTable.defaultRaw(e);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
