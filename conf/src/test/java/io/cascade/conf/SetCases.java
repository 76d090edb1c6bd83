package io.cascade.conf;

import java.util.List;

/**
 * CONFIG SET cases and the replies redis-server 7.0.15 gives to each (captured from it; RedisComparisonTest
 * checks them again against a live server). Every case leaves a live server usable.
 */
final class SetCases {
    private SetCases() {
    }

    record Case(List<String> pairs, String reply) {
    }

    private static final String F = "ERR CONFIG SET failed (possibly related to argument '";

    static final List<Case> CASES = List.of(
            c("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", "foo", "bar"),
            c(F + "daemonize') - can't set immutable config", "daemonize", "yes"),
            c(F + "maxmemory') - argument must be a memory value", "maxmemory", "abc"),
            c(F + "maxmemory') - argument must be a memory value", "maxmemory", "-1"),
            c(F + "port') - argument couldn't be parsed into an integer", "port", "abc"),
            c(F + "port') - argument must be between 0 and 65535 inclusive", "port", "70000"),
            c(F + "port') - argument must be between 0 and 65535 inclusive", "port", "-1"),
            c(F + "loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning", "loglevel", "xx"),
            c(F + "port') - duplicate parameter", "port", "1", "port", "2"),
            c(F + "PORT') - duplicate parameter", "port", "1", "PORT", "2"),
            c(F + "slave-priority') - duplicate parameter", "Slave-Priority", "5", "slave-priority", "6"),
            c("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", "port", "1", "foo", "2"),
            c("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", "foo", "1", "daemonize", "yes"),
            c(F + "daemonize') - can't set immutable config", "daemonize", "yes", "foo", "1"),
            c(F + "save') - Invalid save parameters", "save", "abc"),
            c(F + "save') - Invalid save parameters", "save", "3600"),
            c(F + "save') - Invalid save parameters", "save", "0 1"),
            c(F + "save') - Invalid save parameters", "save", "100  1"),
            c(F + "save') - duplicate parameter", "save", "100 1", "save", "200 2"),
            c(F + "client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.",
                    "client-output-buffer-limit", "normal 1 2"),
            c(F + "client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.",
                    "client-output-buffer-limit", "master 1 2 3"),
            c(F + "client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.",
                    "client-output-buffer-limit", "normal 1x 2 3"),
            c(F + "maxclients') - argument must be between 1 and 4294967295 inclusive", "maxclients", "0"),
            c(F + "maxclients') - argument must be between 1 and 4294967295 inclusive", "maxclients", "-1"),
            c(F + "unixsocketperm') - can't set immutable config", "unixsocketperm", "800"),
            c(F + "hash-max-listpack-value') - argument must be a memory value", "hash-max-listpack-value", "-1"),
            c(F + "hash-max-listpack-entries') - argument must be between 0 and 9223372036854775807 inclusive",
                    "hash-max-listpack-entries", "-1"),
            c(F + "slowlog-max-len') - argument must be between 0 and 9223372036854775807 inclusive", "slowlog-max-len", "-1"),
            c(F + "maxmemory-clients') - percentage argument must be less or equal to 100", "maxmemory-clients", "200%"),
            c(F + "maxmemory-clients') - argument must be a memory or percent value", "maxmemory-clients", "-5%"),
            c(F + "maxmemory-clients') - argument must be a memory or percent value", "maxmemory-clients", "5x"),
            c(F + "proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive",
                    "proto-max-bulk-len", "10"),
            c(F + "proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive",
                    "proto-max-bulk-len", "99999999999999999999"),
            c(F + "list-max-listpack-size') - argument must be between -2147483648 and 2147483647 inclusive",
                    "list-max-listpack-size", "99999999999"),
            c(F + "notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
                    "notify-keyspace-events", "Q"),
            c(F + "oom-score-adj-values') - wrong number of arguments", "oom-score-adj-values", "1 2"),
            c(F + "oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
                    "oom-score-adj-values", "1 2 9999"),
            c(F + "replicaof') - can't set immutable config", "replicaof", "a b"),
            c(F + "slaveof') - can't set immutable config", "slaveof", "no one"),
            c(F + "dir') - can't set protected config", "dir", "/nonexistent"),
            c(F + "dbfilename') - can't set protected config", "dbfilename", "x.rdb"),
            c(F + "appendonly') - argument must be 'yes' or 'no'", "appendonly", "maybe"),
            c(F + "protected-mode') - argument must be 'yes' or 'no'", "protected-mode", "1"),
            c(F + "latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters",
                    "latency-tracking-info-percentiles", "a"),
            c(F + "latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
                    "latency-tracking-info-percentiles", "101"),
            c(F + "shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously",
                    "shutdown-on-sigint", "save nosave"),
            c(F + "shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force",
                    "shutdown-on-sigint", "bad"),
            c(F + "shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force",
                    "shutdown-on-sigint", ""),
            c(F + "proc-title-template') - template format is invalid or contains unknown variables",
                    "proc-title-template", "{bad}"),
            c(F + "proc-title-template') - template format is invalid or contains unknown variables",
                    "proc-title-template", "{title}"),
            c(F + "proc-title-template') - template format is invalid or contains unknown variables",
                    "proc-title-template", "{title"),
            c(F + "cluster-announce-hostname') - Hostnames may only contain alphanumeric characters, hyphens or dots",
                    "cluster-announce-hostname", "a_b"),
            c(F + "activedefrag') - Active defragmentation cannot be enabled: it requires a Redis server compiled with "
                    + "a modified Jemalloc like the one shipped by default with the Redis source distribution",
                    "activedefrag", "yes"),
            c(F + "repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive", "repl-backlog-size", "0"),
            c(F + "tcp-keepalive') - argument couldn't be parsed into an integer", "tcp-keepalive", "1.5"),
            c(F + "tcp-keepalive') - argument couldn't be parsed into an integer", "tcp-keepalive", " 5"),
            c(F + "tcp-keepalive') - argument couldn't be parsed into an integer", "tcp-keepalive", "+5"),
            c(F + "tcp-keepalive') - argument couldn't be parsed into an integer", "tcp-keepalive", "05"),
            c(F + "slave-priority') - argument couldn't be parsed into an integer", "SLAVE-PRIORITY", "abc"),
            c(F + "slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive",
                    "slowlog-log-slower-than", "-2"),
            c(F + "enable-debug-command') - can't set immutable config", "enable-debug-command", "yes"),
            c("ERR syntax error", "a", "b", "c"),
            c("ERR Unknown option or number of arguments for CONFIG SET - 'include'", "include", "x"),
            c("ERR Unknown option or number of arguments for CONFIG SET - 'list-max-ziplist-entries'",
                    "list-max-ziplist-entries", "1"),
            c("OK", "maxmemory", ""),
            c("OK", "maxmemory", "0"),
            c("OK", "save", "1 2 3 4"),
            c("OK", "save", "3600 1 300 100 60 10000"),
            c("OK", "timeout", "0", "tcp-keepalive", "300"),
            c("OK", "replica-priority", "1", "slave-priority", "100"),
            c("OK", "hz", "10"));

    private static Case c(String reply, String... pairs) {
        return new Case(List.of(pairs), reply);
    }

    /** What our CONFIG SET answers for the pairs: "OK" or the error text. */
    static String ours(Config cfg, List<String> pairs) {
        try {
            cfg.set(pairs);
            return "OK";
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
