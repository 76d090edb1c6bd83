package io.cascade.conf;

import io.cascade.conf.ConfigEntry.Flag;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.cascade.conf.ConfigEntry.Flag.DEBUG;
import static io.cascade.conf.ConfigEntry.Flag.DENY_LOADING;
import static io.cascade.conf.ConfigEntry.Flag.DEPRECATED;
import static io.cascade.conf.ConfigEntry.Flag.FILE_ONLY;
import static io.cascade.conf.ConfigEntry.Flag.HIDDEN;
import static io.cascade.conf.ConfigEntry.Flag.IMMUTABLE;
import static io.cascade.conf.ConfigEntry.Flag.IMPLEMENTED;
import static io.cascade.conf.ConfigEntry.Flag.MULTI_ARG;
import static io.cascade.conf.ConfigEntry.Flag.PROTECTED;
import static io.cascade.conf.ConfigEntry.Flag.SENSITIVE;

/**
 * Every directive Redis 7.0.15 knows: all of static_configs[] in config.c (TLS ones included, as in the Debian
 * build), its special configs, and the directives loadServerConfigFromString handles itself. Built once at class
 * load; read-only afterwards, so any thread may use it.
 */
public final class ConfigTable {

    /**
     * The directives Cascade acts on. Edit this list when the server starts honouring another directive;
     * server's ImplementedDirectivesTest checks that the code reads each one.
     */
    private static final Set<String> IMPLEMENTED_NAMES = Set.of(
            "port", "bind", "unixsocket", "unixsocketperm", "protected-mode", "daemonize", "pidfile", "logfile",
            "loglevel", "dir", "dbfilename", "databases", "requirepass", "timeout", "tcp-keepalive", "tcp-backlog",
            "maxclients", "proto-max-bulk-len", "client-query-buffer-limit", "hz", "save", "rdbcompression",
            "rdbchecksum", "replicaof", "masterauth", "masteruser", "repl-timeout", "replica-read-only",
            "replica-serve-stale-data", "replica-priority", "replica-announced", "replica-announce-ip",
            "replica-announce-port", "repl-diskless-load", "enable-debug-command", "rename-command", "include",
            "hash-max-listpack-entries", "hash-max-listpack-value", "list-max-listpack-size", "list-compress-depth",
            "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-listpack-value",
            "stream-node-max-bytes", "stream-node-max-entries", "always-show-logo", "set-proc-title",
            "client-output-buffer-limit", "maxmemory", "activerehashing", "lazyfree-lazy-eviction",
            "lazyfree-lazy-expire", "lazyfree-lazy-user-del", "lazyfree-lazy-server-del", "lazyfree-lazy-user-flush",
            "stop-writes-on-bgsave-error", "rdb-save-incremental-fsync", "rdb-key-save-delay", "shutdown-on-sigterm", "shutdown-on-sigint",
            "maxmemory-policy", "lfu-log-factor", "lfu-decay-time", "repl-backlog-size", "repl-backlog-ttl",
            "repl-ping-replica-period", "repl-diskless-sync", "repl-diskless-sync-delay",
            "repl-diskless-sync-max-replicas", "min-replicas-to-write", "min-replicas-max-lag",
            "shutdown-timeout", "slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold",
            "latency-tracking", "notify-keyspace-events", "busy-reply-threshold", "user", "acllog-max-len", "aclfile",
            "acl-pubsub-default");

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xffffffffL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long ULLONG_MAX = -1L; // compared unsigned

    private static final String[] PROTECTED_ACTION = {"no", "yes", "local"};
    private static final String[] SHUTDOWN_ON_SIG = {"default", "save", "nosave", "now", "force"};
    private static final int[] SHUTDOWN_ON_SIG_BITS = {0, 1, 2, 4, 8};

    private static final List<ConfigEntry> ENTRIES = List.of(
            // Bool configs
            bool("rdbchecksum", null, true, IMMUTABLE),
            bool("daemonize", null, false, IMMUTABLE),
            bool("io-threads-do-reads", null, false, DEBUG, IMMUTABLE),
            bool("always-show-logo", null, false, IMMUTABLE),
            bool("protected-mode", null, true),
            bool("rdbcompression", null, true),
            bool("rdb-del-sync-files", null, false),
            bool("activerehashing", null, true),
            bool("stop-writes-on-bgsave-error", null, true),
            bool("set-proc-title", null, true, IMMUTABLE),
            bool("dynamic-hz", null, true),
            bool("lazyfree-lazy-eviction", null, false, DEBUG),
            bool("lazyfree-lazy-expire", null, false, DEBUG),
            bool("lazyfree-lazy-server-del", null, false, DEBUG),
            bool("lazyfree-lazy-user-del", null, false, DEBUG),
            bool("lazyfree-lazy-user-flush", null, false, DEBUG),
            bool("repl-disable-tcp-nodelay", null, false),
            bool("repl-diskless-sync", null, true, DEBUG),
            bool("aof-rewrite-incremental-fsync", null, true),
            bool("no-appendfsync-on-rewrite", null, false),
            bool("cluster-require-full-coverage", null, true),
            bool("rdb-save-incremental-fsync", null, true),
            bool("aof-load-truncated", null, true),
            bool("aof-use-rdb-preamble", null, true),
            bool("aof-timestamp-enabled", null, false),
            bool("cluster-replica-no-failover", "cluster-slave-no-failover", false),
            bool("replica-lazy-flush", "slave-lazy-flush", false),
            bool("replica-serve-stale-data", "slave-serve-stale-data", true),
            bool("replica-read-only", "slave-read-only", true, DEBUG),
            bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", true),
            bool("jemalloc-bg-thread", null, true),
            checkedBool("activedefrag", false, Checks::activeDefrag, DEBUG),
            bool("syslog-enabled", null, false, IMMUTABLE),
            bool("cluster-enabled", null, false, IMMUTABLE),
            bool("appendonly", null, false, DENY_LOADING),
            bool("cluster-allow-reads-when-down", null, false),
            bool("cluster-allow-pubsubshard-when-down", null, true),
            bool("crash-log-enabled", null, true),
            bool("crash-memcheck-enabled", null, true),
            bool("use-exit-on-panic", null, false, HIDDEN),
            bool("disable-thp", null, true, IMMUTABLE),
            bool("cluster-allow-replica-migration", null, true),
            bool("replica-announced", null, true),
            bool("latency-tracking", null, true),
            bool("aof-disable-auto-gc", null, false),
            bool("replica-ignore-disk-write-errors", null, false),

            // String configs (null default = Redis's NULL: empty means "not set")
            str("aclfile", null, "", null, IMMUTABLE),
            str("unixsocket", null, null, null, IMMUTABLE),
            str("pidfile", null, null, null, IMMUTABLE),
            str("replica-announce-ip", "slave-announce-ip", null, null),
            str("masteruser", null, null, null, SENSITIVE),
            str("cluster-announce-ip", null, null, null),
            str("cluster-config-file", null, "nodes.conf", null, IMMUTABLE),
            str("cluster-announce-hostname", null, null, Checks::announcedHostname),
            str("syslog-ident", null, "redis", null, IMMUTABLE),
            str("dbfilename", null, "dump.rdb", Checks::dbFilename, PROTECTED),
            str("appendfilename", null, "appendonly.aof", Checks::aofFilename, IMMUTABLE),
            str("appenddirname", null, "appendonlydir", Checks::aofDirname, IMMUTABLE),
            str("server_cpulist", null, null, null, IMMUTABLE),
            str("bio_cpulist", null, null, null, IMMUTABLE),
            str("aof_rewrite_cpulist", null, null, null, IMMUTABLE),
            str("bgsave_cpulist", null, null, null, IMMUTABLE),
            str("ignore-warnings", null, "", null),
            str("proc-title-template", null, "{title} {listen-addr} {server-mode}", Checks::procTitleTemplate),
            str("bind-source-addr", null, null, null),
            str("logfile", null, "", null, IMMUTABLE),
            str("masterauth", null, null, null, SENSITIVE),
            str("requirepass", null, null, null, SENSITIVE),

            // Enum configs
            enumOf("supervised", "no", new String[] {"upstart", "systemd", "auto", "no"}, IMMUTABLE),
            enumOf("syslog-facility", "local0",
                    new String[] {"user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}, IMMUTABLE),
            enumOf("repl-diskless-load", "disabled", new String[] {"disabled", "on-empty-db", "swapdb"}, DEBUG, DENY_LOADING),
            enumOf("loglevel", "notice", new String[] {"debug", "verbose", "notice", "warning"}),
            enumOf("maxmemory-policy", "noeviction", new String[] {"volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}),
            enumOf("appendfsync", "everysec", new String[] {"everysec", "always", "no"}),
            // "yes" and "relative" are the same value; CONFIG GET prints the first, "yes"
            enumValues("oom-score-adj", "no", new String[] {"no", "yes", "relative", "absolute"}, new int[] {0, 1, 1, 2}),
            enumValues("acl-pubsub-default", "resetchannels", new String[] {"allchannels", "resetchannels"}, new int[] {8, 0}),
            enumOf("sanitize-dump-payload", "no", new String[] {"no", "yes", "clients"}, DEBUG),
            enumOf("enable-protected-configs", "no", PROTECTED_ACTION, IMMUTABLE),
            enumOf("enable-debug-command", "no", PROTECTED_ACTION, IMMUTABLE),
            enumOf("enable-module-command", "no", PROTECTED_ACTION, IMMUTABLE),
            enumOf("cluster-preferred-endpoint-type", "ip", new String[] {"ip", "hostname", "unknown-endpoint"}),
            enumOf("propagation-error-behavior", "ignore", new String[] {"ignore", "panic", "panic-on-replicas"}),
            shutdownOnSignal("shutdown-on-sigint"),
            shutdownOnSignal("shutdown-on-sigterm"),

            // Integer configs (C int)
            num("databases", null, 1, INT_MAX, 16, IMMUTABLE),
            num("port", null, 0, 65535, 6379),
            num("io-threads", null, 1, 128, 1, DEBUG, IMMUTABLE),
            num("auto-aof-rewrite-percentage", null, 0, INT_MAX, 100),
            num("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, INT_MAX, 10),
            num("list-max-listpack-size", "list-max-ziplist-size", INT_MIN, INT_MAX, -2),
            num("tcp-keepalive", null, 0, INT_MAX, 300),
            num("cluster-migration-barrier", null, 0, INT_MAX, 1),
            num("active-defrag-cycle-min", null, 1, 99, 1),
            num("active-defrag-cycle-max", null, 1, 99, 25),
            num("active-defrag-threshold-lower", null, 0, 1000, 10),
            num("active-defrag-threshold-upper", null, 0, 1000, 100),
            num("lfu-log-factor", null, 0, INT_MAX, 10),
            num("lfu-decay-time", null, 0, INT_MAX, 1),
            num("replica-priority", "slave-priority", 0, INT_MAX, 100),
            num("repl-diskless-sync-delay", null, 0, INT_MAX, 5),
            num("maxmemory-samples", null, 1, INT_MAX, 5),
            num("maxmemory-eviction-tenacity", null, 0, 100, 10),
            num("timeout", null, 0, INT_MAX, 0),
            num("replica-announce-port", "slave-announce-port", 0, 65535, 0),
            num("tcp-backlog", null, 0, INT_MAX, 511, IMMUTABLE),
            num("cluster-port", null, 0, 65535, 0, IMMUTABLE),
            num("cluster-announce-bus-port", null, 0, 65535, 0),
            num("cluster-announce-port", null, 0, 65535, 0),
            num("cluster-announce-tls-port", null, 0, 65535, 0),
            num("repl-timeout", null, 1, INT_MAX, 60),
            num("repl-ping-replica-period", "repl-ping-slave-period", 1, INT_MAX, 10),
            num("list-compress-depth", null, 0, INT_MAX, 0, DEBUG),
            num("rdb-key-save-delay", null, INT_MIN, INT_MAX, 0, HIDDEN),
            num("key-load-delay", null, INT_MIN, INT_MAX, 0, HIDDEN),
            num("active-expire-effort", null, 1, 10, 1),
            num("hz", null, 0, INT_MAX, 10),
            num("min-replicas-to-write", "min-slaves-to-write", 0, INT_MAX, 0),
            num("min-replicas-max-lag", "min-slaves-max-lag", 0, INT_MAX, 10),
            num("watchdog-period", null, 0, INT_MAX, 0, HIDDEN),
            num("shutdown-timeout", null, 0, INT_MAX, 10),
            num("repl-diskless-sync-max-replicas", null, 0, INT_MAX, 0),

            // Unsigned int configs
            unum("maxclients", null, 1, UINT_MAX, 10000),
            octal("unixsocketperm", 0, 0777, 0, IMMUTABLE),
            unum("socket-mark-id", null, 0, UINT_MAX, 0, IMMUTABLE),

            // Unsigned long configs (bounds checked as signed in Redis)
            num("active-defrag-max-scan-fields", null, 1, LONG_MAX, 1000),
            num("slowlog-max-len", null, 0, LONG_MAX, 128),
            num("acllog-max-len", null, 0, LONG_MAX, 128),

            // Long long configs
            num("busy-reply-threshold", "lua-time-limit", 0, LONG_MAX, 5000),
            num("cluster-node-timeout", null, 0, LONG_MAX, 15000),
            num("slowlog-log-slower-than", null, -1, LONG_MAX, 10000),
            num("latency-monitor-threshold", null, 0, LONG_MAX, 0),
            mem("proto-max-bulk-len", null, 1024 * 1024, LONG_MAX, 512L * 1024 * 1024, false, DEBUG),
            num("stream-node-max-entries", null, 0, LONG_MAX, 100),
            mem("repl-backlog-size", null, 1, LONG_MAX, 1024 * 1024, false),

            // Unsigned long long configs
            mem("maxmemory", null, 0, ULLONG_MAX, 0, true),
            mem("cluster-link-sendbuf-limit", null, 0, ULLONG_MAX, 0, true),

            // size_t configs (unsigned bounds)
            unum("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, LONG_MAX, 512),
            unum("set-max-intset-entries", null, 0, LONG_MAX, 512),
            unum("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, LONG_MAX, 128),
            mem("active-defrag-ignore-bytes", null, 1, LONG_MAX, 100L << 20, true),
            mem("hash-max-listpack-value", "hash-max-ziplist-value", 0, LONG_MAX, 64, true),
            mem("stream-node-max-bytes", null, 0, LONG_MAX, 4096, true),
            mem("zset-max-listpack-value", "zset-max-ziplist-value", 0, LONG_MAX, 64, true),
            mem("hll-sparse-max-bytes", null, 0, LONG_MAX, 3000, true),
            unum("tracking-table-max-keys", null, 0, LONG_MAX, 1000000),
            mem("client-query-buffer-limit", null, 1024 * 1024, LONG_MAX, 1024L * 1024 * 1024, true, DEBUG),
            entry("maxmemory-clients", null, ConfigType.MEMORY_PERCENT, -100, LONG_MAX, false,
                    new Codecs.Num(Codecs.Num.MEMORY | Codecs.Num.PERCENT, -100, LONG_MAX, false), 0L),

            // Other numeric configs (time_t, off_t)
            num("repl-backlog-ttl", null, 0, LONG_MAX, 60 * 60),
            mem("auto-aof-rewrite-min-size", null, 0, LONG_MAX, 64L * 1024 * 1024, false),
            num("loading-process-events-interval-bytes", null, 1024, INT_MAX, 1024 * 1024 * 2, HIDDEN),

            // TLS configs (Redis built with TLS, as Debian's redis-server is)
            num("tls-port", null, 0, 65535, 0),
            num("tls-session-cache-size", null, 0, INT_MAX, 20 * 1024),
            num("tls-session-cache-timeout", null, 0, INT_MAX, 300),
            bool("tls-cluster", null, false),
            bool("tls-replication", null, false),
            enumOf("tls-auth-clients", "yes", new String[] {"no", "yes", "optional"}),
            bool("tls-prefer-server-ciphers", null, false),
            bool("tls-session-caching", null, true),
            str("tls-cert-file", null, null, null),
            str("tls-key-file", null, null, null),
            str("tls-key-file-pass", null, null, null),
            str("tls-client-cert-file", null, null, null),
            str("tls-client-key-file", null, null, null),
            str("tls-client-key-file-pass", null, null, null),
            str("tls-dh-params-file", null, null, null),
            str("tls-ca-cert-file", null, null, null),
            str("tls-ca-cert-dir", null, null, null),
            str("tls-protocols", null, null, null),
            str("tls-ciphers", null, null, null),
            str("tls-ciphersuites", null, null, null),

            // Special configs
            special("dir", null, currentDirectory(), new SpecialTextCodecs.Dir(), PROTECTED, DENY_LOADING),
            special("save", null, "3600 1 300 100 60 10000", new SpecialCodecs.Save(), MULTI_ARG),
            special("client-output-buffer-limit", null,
                    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                    new SpecialCodecs.OutputBufferLimit(), MULTI_ARG),
            special("oom-score-adj-values", null, "0 200 800", new SpecialCodecs.OomScoreAdjValues(), MULTI_ARG),
            special("notify-keyspace-events", null, "", new SpecialTextCodecs.NotifyKeyspaceEvents()),
            special("bind", null, "* -::*", new SpecialTextCodecs.Bind(), MULTI_ARG),
            special("replicaof", "slaveof", "", new SpecialTextCodecs.ReplicaOf(), IMMUTABLE, MULTI_ARG),
            special("latency-tracking-info-percentiles", null, "50 99 99.9", new SpecialCodecs.Percentiles(), MULTI_ARG),

            // Handled by the file loader itself (loadServerConfigFromString), not by CONFIG GET/SET
            fileOnly("include", FILE_ONLY),
            fileOnly("rename-command", FILE_ONLY, MULTI_ARG),
            fileOnly("user", FILE_ONLY, MULTI_ARG),
            fileOnly("loadmodule", FILE_ONLY, MULTI_ARG),
            fileOnly("sentinel", FILE_ONLY, MULTI_ARG),
            // Accepted with exactly one argument and ignored, for old config files
            fileOnly("list-max-ziplist-entries", DEPRECATED),
            fileOnly("list-max-ziplist-value", DEPRECATED),
            fileOnly("lua-replicate-commands", DEPRECATED));

    private static final Map<String, ConfigEntry> BY_NAME = new HashMap<>();
    private static final Map<ConfigEntry, Object> DEFAULTS = new IdentityHashMap<>();

    static {
        for (ConfigEntry e : ENTRIES) {
            register(e.name(), e);
            e.aliases().forEach(a -> register(a, e));
        }
        for (String n : IMPLEMENTED_NAMES) {
            if (!BY_NAME.containsKey(n)) {
                throw new IllegalStateException("IMPLEMENTED names unknown directive " + n);
            }
        }
        for (ConfigEntry e : ENTRIES) {
            if (e.isRuntime()) {
                try {
                    DEFAULTS.put(e, e.codec().parseDefault(e, e.defaultValue()));
                } catch (Codec.BadValue ex) {
                    throw new IllegalStateException("default of " + e.name() + " does not parse: " + ex.getMessage());
                }
            }
        }
    }

    private ConfigTable() {
    }

    /** The entry for a name or alias, case-insensitively; null when unknown. */
    public static ConfigEntry lookup(String nameOrAlias) {
        return BY_NAME.get(nameOrAlias.toLowerCase(Locale.ROOT));
    }

    /** Every entry, in Redis's table order (file-only and deprecated directives last). */
    public static List<ConfigEntry> all() {
        return ENTRIES;
    }

    /** The parsed default of a runtime entry (a value of the kind its codec produces). */
    static Object defaultRaw(ConfigEntry e) {
        return DEFAULTS.get(e);
    }

    private static void register(String name, ConfigEntry e) {
        if (BY_NAME.putIfAbsent(name, e) != null) {
            throw new IllegalStateException("duplicate config name " + name);
        }
    }

    private static Set<Flag> flags(String name, Flag... flags) {
        EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
        set.addAll(Arrays.asList(flags));
        if (IMPLEMENTED_NAMES.contains(name)) {
            set.add(IMPLEMENTED);
        }
        return set;
    }

    private static ConfigEntry bool(String name, String alias, boolean def, Flag... f) {
        return new ConfigEntry(name, alias, ConfigType.BOOL, def ? "yes" : "no", 0, 0, false, List.of(), flags(name, f),
                new Codecs.Bool(null));
    }

    private static ConfigEntry checkedBool(String name, boolean def, Codecs.Check<Boolean> check, Flag... f) {
        return new ConfigEntry(name, null, ConfigType.BOOL, def ? "yes" : "no", 0, 0, false, List.of(), flags(name, f),
                new Codecs.Bool(check));
    }

    private static ConfigEntry num(String name, String alias, long min, long max, long def, Flag... f) {
        return entry(name, alias, ConfigType.INT, min, max, false, new Codecs.Num(0, min, max, false), def, f);
    }

    private static ConfigEntry unum(String name, String alias, long min, long max, long def, Flag... f) {
        return entry(name, alias, ConfigType.INT, min, max, true, new Codecs.Num(0, min, max, true), def, f);
    }

    private static ConfigEntry mem(String name, String alias, long min, long max, long def, boolean unsigned, Flag... f) {
        return entry(name, alias, ConfigType.MEMORY, min, max, unsigned,
                new Codecs.Num(Codecs.Num.MEMORY, min, max, unsigned), def, f);
    }

    private static ConfigEntry octal(String name, long min, long max, long def, Flag... f) {
        return entry(name, null, ConfigType.SPECIAL, min, max, true, new Codecs.Num(Codecs.Num.OCTAL, min, max, true), def, f);
    }

    private static ConfigEntry entry(String name, String alias, ConfigType type, long min, long max, boolean unsigned,
                                     Codecs.Num codec, long def, Flag... f) {
        return new ConfigEntry(name, alias, type, codec.format(def), min, max, unsigned, List.of(), flags(name, f), codec);
    }

    private static ConfigEntry enumOf(String name, String def, String[] words, Flag... f) {
        int[] values = new int[words.length];
        Arrays.setAll(values, i -> i);
        return enumValues(name, def, words, values, f);
    }

    private static ConfigEntry enumValues(String name, String def, String[] words, int[] values, Flag... f) {
        return new ConfigEntry(name, null, ConfigType.ENUM, def, 0, 0, false, List.of(words), flags(name, f),
                new Codecs.Enum(words, values, false, null));
    }

    private static ConfigEntry shutdownOnSignal(String name) {
        return new ConfigEntry(name, null, ConfigType.ENUM, "default", 0, 0, false, List.of(SHUTDOWN_ON_SIG),
                flags(name, MULTI_ARG), new Codecs.Enum(SHUTDOWN_ON_SIG, SHUTDOWN_ON_SIG_BITS, true, Checks::shutdownFlags));
    }

    private static ConfigEntry str(String name, String alias, String def, Codecs.Check<String> check, Flag... f) {
        return new ConfigEntry(name, alias, ConfigType.STRING, def == null ? "" : def, 0, 0, false, List.of(),
                flags(name, f), new Codecs.Str(def == null, def, check));
    }

    private static ConfigEntry special(String name, String alias, String def, Codec codec, Flag... f) {
        return new ConfigEntry(name, alias, ConfigType.SPECIAL, def, 0, 0, false, List.of(), flags(name, f), codec);
    }

    private static ConfigEntry fileOnly(String name, Flag... f) {
        return new ConfigEntry(name, null, ConfigType.SPECIAL, "", 0, 0, false, List.of(), flags(name, f),
                new SpecialTextCodecs.FileOnly());
    }

    /** Redis's default dir is the working directory it was started in, as getcwd() prints it. */
    private static String currentDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            return cwd.toRealPath().toString();
        } catch (IOException e) {
            return cwd.toString();
        }
    }

    /** Names of every runtime entry and alias, for tests and CONFIG GET. */
    static List<String> runtimeNames() {
        List<String> names = new ArrayList<>();
        for (ConfigEntry e : ENTRIES) {
            if (e.isRuntime()) {
                names.add(e.name());
                names.addAll(e.aliases());
            }
        }
        return names;
    }

    /** Name (primary or alias, lower case) to entry, in table order; used by CONFIG GET patterns. */
    static Map<String, ConfigEntry> runtimeNameMap() {
        return RuntimeNames.MAP;
    }

    /** Built on first use, after the table itself is complete. */
    private static final class RuntimeNames {
        static final Map<String, ConfigEntry> MAP;

        static {
            Map<String, ConfigEntry> m = new LinkedHashMap<>();
            for (String n : runtimeNames()) {
                m.put(n, lookup(n));
            }
            MAP = Collections.unmodifiableMap(m);
        }
    }
}
