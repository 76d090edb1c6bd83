package io.cascade.storage.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Streaming reader of a whole RDB file, versions 1 to 12 (Redis 2.x to 7.4): the header, then Redis's flat
 * "read one byte, dispatch" loop (rdbLoadRioWithLoadingCtx) over opcodes and keys, up to EOF and the CRC64,
 * which it checks. Everything found goes to an RdbVisitor; values are read by RdbValueReader from the same
 * RdbInput, so the file is never held in memory. It stops right after the checksum (an AOF tail or the
 * replication stream may follow: bytesConsumed and RdbInput.unconsumed tell where). Module values and AUX
 * records are skipped (reported to the visitor), a pre-GA type-6 module value is an error. Every malformation
 * is an RdbFormatException naming the offset; I/O errors are IOExceptions. Runs on the loading thread.
 */
public final class RdbFileReader {
    private final RdbInput in;
    private final RdbValueReader values;
    private final RdbVisitor visitor;
    private long dropExpiredBefore = -1;
    private int maxDatabases = Integer.MAX_VALUE;
    private boolean verifyChecksum = true;
    private int version;
    private int db;

    public RdbFileReader(RdbInput in, RdbVisitor visitor) {
        this.in = in;
        this.values = new RdbValueReader(in);
        this.visitor = visitor;
    }

    public RdbFileReader(InputStream in, RdbVisitor visitor) {
        this(RdbInput.of(in), visitor);
    }

    /**
     * Drop keys (and 7.4 hash fields) whose expire time is before {@code nowMs}, as a master does when it loads
     * a file; -1 (the default, a replica's or an AOF base's way) keeps them.
     */
    public RdbFileReader dropExpiredBefore(long nowMs) {
        this.dropExpiredBefore = nowMs;
        return this;
    }

    /** The "databases" setting: a SELECTDB at or past it is fatal, as in Redis. */
    public RdbFileReader maxDatabases(int n) {
        this.maxDatabases = n;
        return this;
    }

    /** rdbchecksum: false skips the CRC check (the stored value is still read). */
    public RdbFileReader verifyChecksum(boolean verify) {
        this.verifyChecksum = verify;
        return this;
    }

    public int version() {
        return version;
    }

    /** The bytes read so far: after read(), the length of the RDB including its checksum. */
    public long bytesConsumed() {
        return in.position();
    }

    public RdbInput input() {
        return in;
    }

    /** Reads the whole file, header to checksum. */
    public void read() throws IOException {
        try {
            readHeader();
            loop();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RdbFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RdbFormatException("Bad data format at offset " + in.position() + ": " + e);
        }
    }

    private void readHeader() {
        byte[] head = in.readBytes(9, "the RDB header");
        if (!new String(head, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int v = 0;
        for (int i = 5; i < 9 && head[i] >= '0' && head[i] <= '9'; i++) { // atoi, as Redis parses it
            v = v * 10 + (head[i] - '0');
        }
        if (v < 1 || v > RdbType.RDB_VERSION_MAX_READ) {
            throw new RdbFormatException("Can't handle RDB format version " + v);
        }
        version = v;
        visitor.header(v);
    }

    private void loop() {
        long expireAt = -1;
        long lruIdle = -1;
        int lfuFreq = -1;
        while (true) {
            long at = in.position();
            int type = in.readByte();
            switch (type) {
                case RdbType.OPCODE_EXPIRETIME:
                    expireAt = (int) in.readLE(4, "an EXPIRETIME") * 1000L; // seconds, signed 32 bits
                    continue;
                case RdbType.OPCODE_EXPIRETIME_MS:
                    expireAt = in.readLE(8, "an EXPIRETIME_MS");
                    continue;
                case RdbType.OPCODE_FREQ:
                    lfuFreq = in.readByte();
                    continue;
                case RdbType.OPCODE_IDLE:
                    lruIdle = values.readLenUnsigned();
                    continue;
                case RdbType.OPCODE_EOF:
                    end();
                    return;
                case RdbType.OPCODE_SELECTDB: {
                    long id = values.readLenUnsigned();
                    if (id < 0 || id >= maxDatabases) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured"
                                + " to handle more than " + maxDatabases + " databases (SELECTDB "
                                + Long.toUnsignedString(id) + " at offset " + at + ")");
                    }
                    db = (int) id;
                    visitor.selectDb(db);
                    continue;
                }
                case RdbType.OPCODE_RESIZEDB: {
                    long keys = values.readLenUnsigned();
                    visitor.resizeDb(keys, values.readLenUnsigned());
                    continue;
                }
                case RdbType.OPCODE_AUX: {
                    byte[] name = values.readString();
                    visitor.aux(name, values.readString());
                    continue;
                }
                case RdbType.OPCODE_MODULE_AUX:
                    moduleAux(at);
                    continue;
                case RdbType.OPCODE_FUNCTION_PRE_GA:
                    visitor.function(preGaFunction());
                    continue;
                case RdbType.OPCODE_FUNCTION2:
                    visitor.function(values.readString());
                    continue;
                case RdbType.OPCODE_SLOT_INFO: {
                    long slot = values.readLenUnsigned();
                    long keys = values.readLenUnsigned();
                    visitor.slotInfo(slot, keys, values.readLenUnsigned());
                    continue;
                }
                default:
                    if (!RdbType.isFileObjectType(type)) {
                        throw new RdbFormatException("Unknown RDB opcode or object type " + type + " at offset " + at
                                + " (not a Redis 7.4 file: a Redis Enterprise or newer format?)");
                    }
                    entry(type, at, expireAt, lruIdle, lfuFreq);
                    // the key attributes apply to one key only
                    expireAt = -1;
                    lruIdle = -1;
                    lfuFreq = -1;
            }
        }
    }

    private void entry(int type, long at, long expireAt, long lruIdle, int lfuFreq) {
        byte[] key = values.readString();
        long valueAt = in.position();
        if (type == RdbType.MODULE || type == RdbType.MODULE_2) {
            long id = values.readLenUnsigned();
            String name = RdbModules.name(id);
            if (type == RdbType.MODULE) {
                throw new RdbFormatException("The RDB file contains a pre-GA module value (type 6) of module '" + name
                        + "' for key '" + printable(key) + "' at offset " + at
                        + ": it has no opcodes and cannot be skipped without the module");
            }
            guard(key, type, valueAt, () -> RdbModules.skipValue(values, name));
            visitor.moduleSkipped(db, key, name, RdbModules.encver(id), 0, at);
            return;
        }
        boolean expired = dropExpiredBefore >= 0 && expireAt != -1 && expireAt < dropExpiredBefore;
        Object value;
        try {
            if (type >= RdbType.HASH_METADATA_PRE_GA && type <= RdbType.HASH_LISTPACK_EX) {
                RdbHashes.Loaded h = RdbHashes.read(values, type, dropExpiredBefore);
                if (!expired) {
                    visitor.hashFieldTtls(db, key, h.ttls(), h.expiredFields());
                }
                value = h.hash();
                expired |= value == null; // every field had expired
            } else {
                value = values.readObject(type);
            }
        } catch (RdbFormatException e) {
            if (e.isEmptyKey()) {
                visitor.emptyKeySkipped(db, key, type, at);
                return;
            }
            throw new RdbFormatException(e.getMessage() + context(key, type, valueAt));
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RdbFormatException("Bad data format: " + e + context(key, type, valueAt));
        }
        if (expired) {
            visitor.keyExpired(db, key, expireAt);
        } else {
            visitor.key(db, key, type, value, expireAt, lruIdle, lfuFreq);
        }
    }

    private void guard(byte[] key, int type, long valueAt, Runnable read) {
        try {
            read.run();
        } catch (RdbFormatException e) {
            throw new RdbFormatException(e.getMessage() + context(key, type, valueAt));
        }
    }

    private String context(byte[] key, int type, long valueAt) {
        return " (in the value of key '" + printable(key) + "', DB " + db + ", type " + type + ", starting at offset "
                + valueAt + "; now at offset " + in.position() + ")";
    }

    /** MODULE_AUX: module id, the UINT opcode, "when", then an opcode stream; skipped. */
    private void moduleAux(long at) {
        long id = values.readLenUnsigned();
        long whenOpcode = values.readLenUnsigned();
        long when = values.readLenUnsigned();
        String name = RdbModules.name(id);
        if (whenOpcode != RdbModules.OPCODE_UINT) {
            throw new RdbFormatException("bad when_opcode in the MODULE_AUX of module '" + name + "' at offset " + at);
        }
        RdbModules.skipValue(values, name);
        visitor.moduleSkipped(db, null, name, RdbModules.encver(id), (int) when, at);
    }

    /** 7.0-rc1/rc2's FUNCTION record, made into the library source Redis 7.0 builds from it. */
    private byte[] preGaFunction() {
        String name = new String(values.readString(), StandardCharsets.ISO_8859_1);
        String engine = new String(values.readString(), StandardCharsets.ISO_8859_1);
        if (values.readLenUnsigned() != 0) {
            values.readString(); // the description: dropped, as Redis 7.0 drops it
        }
        byte[] code = values.readString();
        byte[] head = ("#!" + engine + " name=" + name + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + code.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(code, 0, out, head.length, code.length);
        return out;
    }

    private void end() {
        long computed = in.crc();
        long stored = 0;
        boolean verified = false;
        if (version >= 5) {
            stored = in.readLE(8, "the RDB checksum");
            if (verifyChecksum && stored != 0) {
                if (stored != computed) {
                    throw new RdbFormatException("Wrong RDB checksum expected: (" + Long.toHexString(computed)
                            + ") but got (" + Long.toHexString(stored) + ") at offset " + (in.position() - 8)
                            + ": RDB CRC error");
                }
                verified = true;
            }
        }
        visitor.end(stored, verified);
    }

    /** A key for a message: printable ASCII as is, other bytes as \xNN, cut after 64 bytes. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length && i < 64; i++) {
            int c = key[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return key.length > 64 ? sb + "..." : sb.toString();
    }
}
