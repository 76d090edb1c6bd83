package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;

import java.nio.charset.StandardCharsets;

/**
 * The spellings of the commands and options Redis 7.0 propagates in place of what a client sent (its shared
 * objects: "SET", "PXAT", "PEXPIREAT", "DEL", ...), always upper case whatever the client's casing (spec 6.1),
 * and the helpers the rewrites share. Immutable; arrays are never modified once built.
 */
final class Rewrites {
    static final byte[] SET = ascii("SET");
    static final byte[] PXAT = ascii("PXAT");
    static final byte[] KEEPTTL = ascii("KEEPTTL");
    static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    static final byte[] PERSIST = ascii("PERSIST");
    static final byte[] DEL = ascii("DEL");
    static final byte[] UNLINK = ascii("UNLINK");
    static final byte[] HSET = ascii("HSET");
    static final byte[] SREM = ascii("SREM");
    static final byte[] ABSTTL = ascii("ABSTTL");

    private Rewrites() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] number(long n) {
        return ascii(Long.toString(n));
    }

    /** An expire that deletes (a time already past) goes as UNLINK when lazyfree-lazy-expire is on. */
    static byte[] expireDelete(CommandContext c) {
        return c.server.propagation.expiredDelete();
    }

    /** GETDEL's delete goes as UNLINK when lazyfree-lazy-user-del is on. */
    static byte[] userDelete(CommandContext c) {
        return c.server.config.getBool("lazyfree-lazy-user-del") ? UNLINK : DEL;
    }
}
