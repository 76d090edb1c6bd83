package io.cascade.server.command;

import java.util.Locale;

/** Redis 7.0's command flags, named as COMMAND INFO prints them. Immutable. */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR,
    SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL, NO_MANDATORY_KEYS, PROTECTED,
    MODULE_GETKEYS, MODULE_NO_CLUSTER, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    /** The word COMMAND INFO prints, e.g. "no_auth". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
