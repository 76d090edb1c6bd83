package io.cascade.storage;

import io.cascade.storage.types.G17;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.StreamIterator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE computed exactly as Redis 7.0 computes them (debug.c), so that a Cascade
 * dataset can be compared with a Redis one. Two SHA-1 based operations build every digest: xor (adds an element
 * whose order does not matter: keys, set members, hash fields) and mix (digest = SHA1(digest xor SHA1(data)),
 * for sequences whose order matters: list elements, the parts of one key). Logically expired keys that are
 * still stored count, as in Redis, which walks the dictionaries without expiry checks. Command thread (it reads
 * the keyspace).
 */
public final class Digest {
    /** The digest of nothing: the empty dataset, or a missing key in DIGEST-VALUE. */
    public static final String ZERO = "0".repeat(40);
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    /** One SHA-1 engine per thread: getInstance per call would dominate the digest of a large dataset. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    });

    private Digest() {
    }

    /** DEBUG DIGEST: 40 hex digits for the whole dataset. */
    public static String dataset(Databases dbs) {
        byte[] fin = new byte[20];
        for (int j = 0; j < dbs.count(); j++) {
            Keyspace db = dbs.db(j);
            if (db.size() == 0) {
                continue;
            }
            // the database number goes in, so the same keys in another database give another digest
            mix(fin, int32(j));
            db.forEach((key, value) -> {
                byte[] kv = new byte[20];
                mix(kv, key);
                objectDigest(db, key, value, kv);
                xor(fin, kv); // Redis xors the SHA-1 of the key's digest, not the digest itself
            });
        }
        return hex(fin);
    }

    /** DEBUG DIGEST-VALUE for one key: the value part (type, contents, expire flag); ZERO when the key is missing. */
    public static String value(Keyspace db, byte[] key) {
        // as Redis, a logically expired key that is still stored has a digest: DEBUG does not expire keys
        Object v = db.peek(key);
        if (v == null) {
            return ZERO;
        }
        byte[] d = new byte[20];
        objectDigest(db, key, v, d);
        return hex(d);
    }

    /** Redis's xorObjectDigest: mixes the type number and the value into digest, then the expire flag. */
    static void objectDigest(Keyspace db, byte[] key, Object value, byte[] digest) {
        RType type = RType.of(value);
        mix(digest, int32(type.objType));
        switch (type) {
            case STRING -> mix(digest, (byte[]) value);
            case LIST -> {
                RList list = (RList) value;
                for (int i = 0; i < list.size(); i++) {
                    mix(digest, list.get(i));
                }
            }
            case SET -> ((RSet) value).forEach(member -> xor(digest, member));
            case HASH -> ((RHash) value).forEach((field, val) -> {
                byte[] ele = new byte[20];
                mix(ele, field);
                mix(ele, val);
                xor(digest, ele);
            });
            // both encodings xor one element digest per member, so the order of the visit does not matter; a
            // listpack set holds no -0 (RZSet normalizes it as Redis's listpack does), so "0" is mixed there
            case ZSET -> ((RZSet) value).forEach((member, score) -> zsetEntry(digest, member, score));
            case STREAM -> {
                // only the live entries count, not the tombstones, the metadata or the consumer groups
                StreamIterator it = ((RStream) value).iterator(null, null, false);
                while (it.next()) {
                    streamEntryId(digest, it.id().ms(), it.id().seq());
                    for (int i = 0; i < it.numFields(); i++) {
                        streamField(digest, it.field(i), it.value(i));
                    }
                }
            }
            default -> throw new IllegalStateException("DEBUG DIGEST does not know the " + type.typeName + " type yet");
        }
        if (db.getExpire(key) != -1) {
            xor(digest, EXPIRE_MARK);
        }
    }

    /**
     * One sorted-set element: xor of SHA1-mix(member, score) into digest, where the score is text as C's "%.17g"
     * prints it (Redis 7.0.15 uses snprintf "%.17g" here for both the listpack and the skiplist encodings; the
     * fpconv_dtoa shortest form came only in 7.2).
     */
    public static void zsetEntry(byte[] digest, byte[] member, double score) {
        byte[] ele = new byte[20];
        mix(ele, member);
        mix(ele, G17.format(score).getBytes(StandardCharsets.US_ASCII));
        xor(digest, ele);
    }

    /** A stream entry's ID, mixed as "ms.seq" (a dot, not the dash XADD shows: sdscatfmt "%U.%U"). */
    public static void streamEntryId(byte[] digest, long ms, long seq) {
        mix(digest, (Long.toUnsignedString(ms) + "." + Long.toUnsignedString(seq)).getBytes(StandardCharsets.US_ASCII));
    }

    /** One field/value pair of the current stream entry, mixed in order after the entry's ID. */
    public static void streamField(byte[] digest, byte[] field, byte[] value) {
        mix(digest, field);
        mix(digest, value);
    }

    /** For type families written later: mixes a type number as Redis does (htonl of the OBJ_* number). */
    public static void typeTag(byte[] digest, RType type) {
        mix(digest, int32(type.objType));
    }

    /** The expire marker a key with a time to live adds. */
    public static void expireTag(byte[] digest) {
        xor(digest, EXPIRE_MARK);
    }

    // ---- the two primitives ----

    /** digest ^= SHA1(data). */
    public static void xor(byte[] digest, byte[] data) {
        byte[] hash = sha1(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    /** digest = SHA1(digest ^ SHA1(data)). */
    public static void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        byte[] next = sha1(digest);
        System.arraycopy(next, 0, digest, 0, 20);
    }

    private static byte[] sha1(byte[] data) {
        return SHA1.get().digest(data);
    }

    /** A 32-bit number in network byte order, as Redis's htonl before hashing. */
    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
