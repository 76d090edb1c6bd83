package io.cascade.conf;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One directive of the configuration table: names, type, default (as CONFIG GET prints it), bounds, enum words,
 * flags and the codec behind it. Immutable; shared by every thread.
 */
public final class ConfigEntry {

    /** Properties of a directive; the Redis flag each mirrors is named where there is one. */
    public enum Flag {
        /** IMMUTABLE_CONFIG: only from the file or command line, CONFIG SET refuses it. */
        IMMUTABLE,
        /** SENSITIVE_CONFIG: the value must be redacted from logs, SLOWLOG and MONITOR. */
        SENSITIVE,
        /** MULTI_ARG_CONFIG: takes several arguments (save, bind, client-output-buffer-limit, ...). */
        MULTI_ARG,
        /** HIDDEN_CONFIG: CONFIG GET returns it only when asked by its exact name, never for a pattern. */
        HIDDEN,
        /** DEBUG_CONFIG: part of the config summary printed for debugging (DEBUG/crash report). */
        DEBUG,
        /** PROTECTED_CONFIG: CONFIG SET needs enable-protected-configs (dir, dbfilename). */
        PROTECTED,
        /** DENY_LOADING_CONFIG: CONFIG SET refuses it with -LOADING while a dataset is loading. */
        DENY_LOADING,
        /** Cascade acts on this directive; others are accepted and reported but have no effect. */
        IMPLEMENTED,
        /** Only meaningful in a config file (include, rename-command, user, loadmodule, sentinel): not in CONFIG GET/SET. */
        FILE_ONLY,
        /** A directive Redis 7.0 still accepts in files and ignores (list-max-ziplist-entries, ...). */
        DEPRECATED
    }

    private final String name;
    private final List<String> aliases;
    private final ConfigType type;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final boolean unsignedBounds;
    private final List<String> enumValues;
    private final Set<Flag> flags;
    private final Codec codec;

    ConfigEntry(String name, String alias, ConfigType type, String defaultValue, long min, long max,
                boolean unsignedBounds, List<String> enumValues, Set<Flag> flags, Codec codec) {
        this.name = name;
        this.aliases = alias == null ? List.of() : List.of(alias);
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.unsignedBounds = unsignedBounds;
        this.enumValues = List.copyOf(enumValues);
        this.flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags));
        this.codec = codec;
    }

    /** The canonical (lower-case) name. */
    public String name() {
        return name;
    }

    /** Other names Redis 7.0 accepts for it (slaveof, slave-read-only, hash-max-ziplist-entries, ...). */
    public List<String> aliases() {
        return aliases;
    }

    public ConfigType type() {
        return type;
    }

    /** The default exactly as CONFIG GET prints it on a fresh server. */
    public String defaultValue() {
        return defaultValue;
    }

    /** Lower bound of a number (unsigned when {@link #unsignedBounds()}); 0 for non-numbers. */
    public long min() {
        return min;
    }

    /** Upper bound of a number (unsigned when {@link #unsignedBounds()}, e.g. -1 = 2^64-1 for maxmemory). */
    public long max() {
        return max;
    }

    /** True for Redis's unsigned types (uint, size_t, unsigned long long), whose bounds compare unsigned. */
    public boolean unsignedBounds() {
        return unsignedBounds;
    }

    /** The accepted words of an ENUM, in Redis's order (the order used in error messages). */
    public List<String> enumValues() {
        return enumValues;
    }

    public Set<Flag> flags() {
        return flags;
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** True for entries CONFIG GET and CONFIG SET know (not file-only, not deprecated). */
    public boolean isRuntime() {
        return !flags.contains(Flag.FILE_ONLY) && !flags.contains(Flag.DEPRECATED);
    }

    Codec codec() {
        return codec;
    }

    /** Splits a CONFIG SET style value into arguments: multi-argument directives split on single spaces. */
    List<String> splitSetValue(String value) {
        if (!has(Flag.MULTI_ARG)) {
            return List.of(value);
        }
        // sdssplitlen(value, " "): an empty value is no argument at all; runs of spaces give empty arguments.
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1));
    }

    @Override
    public String toString() {
        return name;
    }
}
