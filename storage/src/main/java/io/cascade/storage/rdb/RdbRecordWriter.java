package io.cascade.storage.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Writes the records of an RDB file as Redis 7.0's rdbSaveRio does, into a buffer the caller drains: the
 * header, AUX fields, SELECTDB and RESIZEDB, each key with its EXPIRETIME_MS / IDLE / FREQ opcodes, and EOF.
 * The CRC64 trailer is the job of whoever writes the bytes out (it covers every chunk). One thread at a time.
 */
public final class RdbRecordWriter {
    private final RdbBuffer buf;
    private final RdbValueWriter values;

    /** @param compression rdbcompression: LZF for strings longer than 20 bytes */
    public RdbRecordWriter(boolean compression) {
        this.buf = new RdbBuffer(64 * 1024);
        this.values = new RdbValueWriter(buf, compression);
    }

    /** "REDIS" and the version as four digits. */
    public void header(int version) {
        buf.writeBytes(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
    }

    /** rdbSaveAuxFieldStrStr; numbers too are saved as their digits (rdbSaveAuxFieldStrInt), int-encoded when short. */
    public void aux(String name, String value) {
        buf.write(RdbType.OPCODE_AUX);
        values.writeString(name.getBytes(StandardCharsets.UTF_8));
        values.writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** rdbSaveFunctions: one library, as the FUNCTION2 opcode and its code (rdbSaveRawString). */
    public void function(byte[] code) {
        buf.write(RdbType.OPCODE_FUNCTION2);
        values.writeString(code);
    }

    public void aux(String name, long value) {
        aux(name, Long.toString(value));
    }

    public void selectDb(int db) {
        buf.write(RdbType.OPCODE_SELECTDB);
        values.writeLen(db);
    }

    /** The sizes of the main and expires dicts, so that a loader can size its tables once. */
    public void resizeDb(long size, long expires) {
        buf.write(RdbType.OPCODE_RESIZEDB);
        values.writeLen(size);
        values.writeLen(expires);
    }

    /**
     * rdbSaveKeyValuePair: the expire (ms, -1 for none), the LRU idle seconds (-1: not saved) or LFU counter
     * (-1: not saved), then type, key and value.
     */
    public void key(byte[] key, Object value, long expireAt, long idleSeconds, int lfuFreq) {
        if (expireAt != -1) {
            buf.write(RdbType.OPCODE_EXPIRETIME_MS);
            values.writeMillis(expireAt);
        }
        if (idleSeconds >= 0) {
            buf.write(RdbType.OPCODE_IDLE);
            values.writeLen(idleSeconds);
        }
        if (lfuFreq >= 0) {
            buf.write(RdbType.OPCODE_FREQ);
            buf.write(lfuFreq & 0xff);
        }
        values.writeObjectType(value);
        values.writeString(key);
        values.writeObject(value);
    }

    /** Records made earlier by another writer (a key preserved before it changed), as they are. */
    public void raw(byte[] records) {
        buf.write(records, 0, records.length);
    }

    public void eof() {
        buf.write(RdbType.OPCODE_EOF);
    }

    /** Bytes written since the last take. */
    public int pending() {
        return buf.size();
    }

    /** The bytes written since the last take, and an empty buffer for the next ones. */
    public byte[] take() {
        byte[] b = buf.toByteArray();
        buf.reset();
        return b;
    }
}
