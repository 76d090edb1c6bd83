package io.cascade.storage.rdb;

import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Redis 7.4's hashes with field TTLs (types 22-25, RDB 12). Cascade, as Redis 7.0, has no field TTL: the hash
 * is loaded with its fields, fields whose TTL has already passed are dropped when the caller asks (a master
 * loading a file), and the TTLs of the others come back so the caller can warn that they are lost. Layouts:
 * 24 = min-expire (i64le), count, then (ttl relative to min-expire plus one, 0 none; field; value); 22 = the
 * same without min-expire, ttl absolute; 25 = min-expire (a stale hint, ignored), then a listpack of (field,
 * value, ttl) triplets; 23 = 25 without min-expire. Pure functions over a reader.
 */
final class RdbHashes {
    /** EB_EXPIRE_TIME_MAX: Redis refuses field TTLs past 2^48 - 1 ms. */
    static final long MAX_FIELD_TTL = (1L << 48) - 1;

    /** The hash (null when every field had expired and was dropped), the TTLs kept, and how many were dropped. */
    record Loaded(RHash hash, List<RdbVisitor.FieldTtl> ttls, int expiredFields) {
    }

    private RdbHashes() {
    }

    /**
     * Reads a type 22-25 value; fields whose TTL is before {@code dropBeforeMs} are dropped (-1: keep every
     * field). A hash whose fields have all expired gives a null hash.
     */
    static Loaded read(RdbValueReader r, int type, long dropBeforeMs) {
        boolean listpack = type == RdbType.HASH_LISTPACK_EX || type == RdbType.HASH_LISTPACK_EX_PRE_GA;
        long minExpire = 0;
        if (type == RdbType.HASH_METADATA || type == RdbType.HASH_LISTPACK_EX) {
            minExpire = r.input().readLE(8, "a hash min-expire time");
        }
        List<byte[]> fields = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        if (listpack) {
            List<byte[]> items = Listpack.decode(r.readString());
            if (items.size() % 3 != 0) {
                throw new RdbFormatException("Hash listpack integrity check failed.");
            }
            for (int i = 0; i < items.size(); i += 3) {
                Long ttl = Ints.parse(items.get(i + 2));
                if (ttl == null || ttl < 0) {
                    throw new RdbFormatException("Hash listpack integrity check failed.");
                }
                fields.add(items.get(i));
                values.add(items.get(i + 1));
                ttls.add(ttl);
            }
        } else {
            long n = r.readLen();
            for (long i = 0; i < n; i++) {
                long ttl = r.readLen();
                if (ttl != 0 && type == RdbType.HASH_METADATA) {
                    ttl = ttl + minExpire - 1;
                }
                fields.add(r.readString());
                values.add(r.readString());
                ttls.add(ttl);
            }
        }
        RdbValueReader.nonEmpty(fields.size());
        return build(fields, values, ttls, dropBeforeMs);
    }

    private static Loaded build(List<byte[]> fields, List<byte[]> values, List<Long> ttls, long dropBeforeMs) {
        RHash h = new RHash();
        if (fields.size() > EncodingLimits.hashMaxListpackEntries) {
            h.convertToHashtable();
        }
        Set<Bytes> seen = new HashSet<>();
        List<RdbVisitor.FieldTtl> kept = new ArrayList<>();
        int expired = 0;
        for (int i = 0; i < fields.size(); i++) {
            byte[] f = fields.get(i);
            long ttl = ttls.get(i);
            if (!seen.add(new Bytes(f))) {
                throw new RdbFormatException("Duplicate hash fields detected");
            }
            if (ttl > MAX_FIELD_TTL || ttl < 0) {
                throw new RdbFormatException("invalid expireAt time: " + ttl);
            }
            if (ttl != 0 && dropBeforeMs >= 0 && ttl < dropBeforeMs) {
                expired++;
                continue;
            }
            if (ttl != 0) {
                kept.add(new RdbVisitor.FieldTtl(f, ttl));
            }
            h.put(f, values.get(i));
        }
        return new Loaded(h.size() == 0 ? null : h, kept, expired);
    }
}
