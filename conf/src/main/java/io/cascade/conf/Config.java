package io.cascade.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The live configuration values. Written by one thread (startup, then the command thread running CONFIG SET);
 * read from any thread: values are immutable objects in a ConcurrentHashMap, lists are replaced, never mutated.
 */
public final class Config {
    /** Stands for a null value (an unset string, no replicaof): ConcurrentHashMap takes no nulls. */
    private static final Object NONE = new Object();

    private final ConcurrentHashMap<String, Object> values = new ConcurrentHashMap<>();
    private final Map<String, List<ChangeHook>> hooks = new ConcurrentHashMap<>();
    /** Directives given in the file, stdin or on the command line (canonical names), for the startup warning. */
    private final Set<String> setAtStartup = ConcurrentHashMap.newKeySet();
    private volatile Path configFile;
    private volatile Map<String, String> renamedCommands = Map.of();
    private volatile List<List<String>> users = List.of();
    /** The ACL users as CONFIG REWRITE writes them ("name rule rule ..."), once the server keeps them. */
    private volatile Supplier<List<List<String>>> currentUsers;
    private volatile List<List<String>> loadModules = List.of();
    private volatile Map<String, String> moduleConfigs = Map.of();

    private Config() {
        for (ConfigEntry e : ConfigTable.all()) {
            if (e.isRuntime()) {
                putRaw(e, ConfigTable.defaultRaw(e));
            }
        }
    }

    /** Every directive at its Redis 7.0 default. */
    public static Config defaults() {
        return new Config();
    }

    /** The config file given at startup (absolute), or null when started without one. */
    public Path configFile() {
        return configFile;
    }

    // ---- typed getters (by canonical name or alias) ----

    /** The value as CONFIG GET prints it; for strings that is the string ("" when not set). */
    public String getString(String name) {
        return format(entry(name));
    }

    /** A numeric value. For maxmemory-clients a percentage is negative (-10 = 10%), as Redis keeps it. */
    public long getLong(String name) {
        Object v = raw(entry(name));
        if (v instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException(name + " is not numeric");
    }

    /** A numeric value as an int, saturating (maxclients may be up to 2^32-1). */
    public int getInt(String name) {
        long v = getLong(name);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    public boolean getBool(String name) {
        Object v = raw(entry(name));
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(name + " is not yes/no");
    }

    /** A byte count (unsigned: maxmemory may be up to 2^64-1, see {@link Long#toUnsignedString(long)}). */
    public long getMemory(String name) {
        ConfigEntry e = entry(name);
        if (e.type() != ConfigType.MEMORY && e.type() != ConfigType.MEMORY_PERCENT) {
            throw new IllegalArgumentException(name + " is not a memory value");
        }
        return (Long) raw(e);
    }

    /** An enum's word(s) as CONFIG GET prints them, e.g. "notice", "save now". */
    public String getEnum(String name) {
        ConfigEntry e = entry(name);
        if (e.type() != ConfigType.ENUM) {
            throw new IllegalArgumentException(name + " is not an enum");
        }
        return format(e);
    }

    // ---- structured getters of special directives ----

    @SuppressWarnings("unchecked")
    public List<SaveRule> saveRules() {
        return (List<SaveRule>) raw(entry("save"));
    }

    @SuppressWarnings("unchecked")
    public List<String> bind() {
        return (List<String>) raw(entry("bind"));
    }

    /** rename-command results: original command (lower case) to its new name; "" means disabled. */
    public Map<String, String> renamedCommands() {
        return renamedCommands;
    }

    /** Limits of a client class: "normal", "replica" (or "slave"), "pubsub"; case-insensitive. */
    public ClientOutputBufferLimit outputBufferLimit(String clientClass) {
        int i = SpecialCodecs.OutputBufferLimit.classIndex(clientClass);
        if (i < 0) {
            throw new IllegalArgumentException("unknown client class " + clientClass);
        }
        return SpecialCodecs.OutputBufferLimit.limits(raw(entry("client-output-buffer-limit"))).get(i);
    }

    /**
     * REPLICAOF at runtime: the master followed now (null for none), so that CONFIG GET and CONFIG REWRITE
     * say what Redis's do (the replicaof line of a rewritten file is the current master).
     */
    public void setReplicaof(HostPort master) {
        putRaw(entry("replicaof"), master);
    }

    /** The master to replicate from, or null when this server is a master. */
    public HostPort replicaof() {
        return (HostPort) raw(entry("replicaof"));
    }

    /** The working directory (absolute); relative file names (dbfilename, logfile, ...) live there. */
    public Path dir() {
        return Path.of((String) raw(entry("dir")));
    }

    /** oom-score-adj-values: master, replica, background child. */
    @SuppressWarnings("unchecked")
    public List<Long> oomScoreAdjValues() {
        return (List<Long>) raw(entry("oom-score-adj-values"));
    }

    @SuppressWarnings("unchecked")
    public List<Double> latencyTrackingPercentiles() {
        return (List<Double>) raw(entry("latency-tracking-info-percentiles"));
    }

    /** The notify-keyspace-events classes as Redis's NOTIFY_* bit set. */
    public int notifyKeyspaceEvents() {
        return (int) getLong("notify-keyspace-events");
    }

    /** "user" directives, each as its arguments (user name first). */
    public List<List<String>> users() {
        return users;
    }

    /** Where CONFIG REWRITE reads the users it writes as "user" lines (the server's ACL state). */
    public void setCurrentUsers(Supplier<List<List<String>>> users) {
        this.currentUsers = users;
    }

    /** The users CONFIG REWRITE writes: the server's, or the directives loaded when there is no server. */
    List<List<String>> usersToRewrite() {
        Supplier<List<List<String>>> s = currentUsers;
        return s == null ? users : s.get();
    }

    /** "loadmodule" directives, each as its arguments (module path first). */
    public List<List<String>> loadModules() {
        return loadModules;
    }

    /** Module configs ("module.name value ...") from the file, lower-case name to value. */
    public Map<String, String> moduleConfigs() {
        return moduleConfigs;
    }

    // ---- CONFIG GET / SET / REWRITE ----

    /** The value of an entry as CONFIG GET prints it. */
    public String format(ConfigEntry e) {
        return e.isRuntime() ? e.codec().format(raw(e)) : "";
    }

    /** True when the entry holds its default value. */
    public boolean isDefault(ConfigEntry e) {
        return !e.isRuntime() || Objects.equals(raw(e), ConfigTable.defaultRaw(e));
    }

    /**
     * CONFIG GET pattern [pattern ...]: name/value pairs. A pattern without [*? is an exact, case-insensitive
     * lookup reported under the name as given (hidden configs too); a glob reports matching names (aliases
     * included, each under its own name) except hidden ones. Each name appears once, in first-match order.
     */
    public List<String[]> get(List<String> patterns) throws ConfigException {
        if (patterns.isEmpty()) {
            throw new ConfigException("ERR wrong number of arguments for 'config|get' command");
        }
        Map<String, String[]> matches = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (pattern.indexOf('[') < 0 && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
                String key = pattern.toLowerCase(Locale.ROOT);
                ConfigEntry e = ConfigTable.lookup(pattern);
                if (!matches.containsKey(key) && e != null && e.isRuntime()) {
                    matches.put(key, new String[] {pattern, format(e)});
                }
                continue;
            }
            for (Map.Entry<String, ConfigEntry> n : ConfigTable.runtimeNameMap().entrySet()) {
                ConfigEntry e = n.getValue();
                if (!e.has(ConfigEntry.Flag.HIDDEN) && !matches.containsKey(n.getKey())
                        && Glob.match(pattern, n.getKey(), true)) {
                    matches.put(n.getKey(), new String[] {n.getKey(), format(e)});
                }
            }
        }
        return new ArrayList<>(matches.values());
    }

    /** CONFIG SET from a remote client: name value [name value ...], all or nothing. */
    public void set(List<String> nameValuePairs) throws ConfigException {
        set(nameValuePairs, false, false);
    }

    /**
     * CONFIG SET with the caller's context: localClient allows protected configs when enable-protected-configs is
     * "local"; loading refuses DENY_LOADING configs with -LOADING.
     */
    public void set(List<String> nameValuePairs, boolean localClient, boolean loading) throws ConfigException {
        ConfigSet.set(this, nameValuePairs, localClient, loading);
    }

    /** Registers a hook called after CONFIG SET changed the named directive (see {@link ChangeHook}). */
    public void onChange(String name, ChangeHook hook) {
        ConfigEntry e = entry(name);
        hooks.computeIfAbsent(e.name(), k -> new CopyOnWriteArrayList<>()).add(hook);
    }

    /** CONFIG REWRITE: rewrites the config file in place (atomically), keeping comments and unknown lines. */
    public void rewrite() throws ConfigException {
        ConfigRewriter.rewrite(this);
    }

    /**
     * Directives given at startup (file, stdin or command line) that Cascade does not act on and that differ from
     * their default, plus file-only ones like loadmodule, user and sentinel and module configs; for one warning.
     */
    public List<String> unimplementedInUse() {
        List<String> out = new ArrayList<>();
        for (ConfigEntry e : ConfigTable.all()) {
            if (setAtStartup.contains(e.name()) && !e.has(ConfigEntry.Flag.IMPLEMENTED)
                    && !e.has(ConfigEntry.Flag.DEPRECATED) && (!e.isRuntime() || !isDefault(e))) {
                out.add(e.name());
            }
        }
        out.addAll(moduleConfigs.keySet());
        return out;
    }

    // ---- package-private plumbing for the loader, CONFIG SET and the rewriter ----

    static ConfigEntry entry(String name) {
        ConfigEntry e = ConfigTable.lookup(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown config " + name);
        }
        return e;
    }

    Object raw(ConfigEntry e) {
        Object v = values.get(e.name());
        return v == NONE ? null : v;
    }

    void putRaw(ConfigEntry e, Object v) {
        values.put(e.name(), v == null ? NONE : v);
    }

    List<ChangeHook> hooksOf(ConfigEntry e) {
        return hooks.getOrDefault(e.name(), List.of());
    }

    void markSetAtStartup(String canonicalName) {
        setAtStartup.add(canonicalName);
    }

    void setConfigFile(Path file) {
        this.configFile = file;
    }

    void setFileDirectives(Map<String, String> renamed, List<List<String>> users, List<List<String>> modules,
                           Map<String, String> moduleConfigs) {
        this.renamedCommands = Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
        this.users = List.copyOf(users);
        this.loadModules = List.copyOf(modules);
        this.moduleConfigs = Collections.unmodifiableMap(new LinkedHashMap<>(moduleConfigs));
    }

    /** hz is a hint: values outside 1..500 are accepted and clamped (updateHZ / the end of config loading). */
    void clampHz() {
        ConfigEntry hz = entry("hz");
        long v = (Long) raw(hz);
        putRaw(hz, Math.max(1, Math.min(500, v)));
    }
}
