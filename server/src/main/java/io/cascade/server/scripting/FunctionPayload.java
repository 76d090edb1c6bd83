package io.cascade.server.scripting;

import io.cascade.storage.rdb.Crc64;
import io.cascade.storage.rdb.RdbFormatException;
import io.cascade.storage.rdb.RdbRecordWriter;
import io.cascade.storage.rdb.RdbType;
import io.cascade.storage.rdb.RdbValueReader;

import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION DUMP's payload as Redis 7.0 builds it: each library as an RDB FUNCTION2 record (rdbSaveFunctions),
 * then the RDB version in two bytes and the CRC64 of all that, little endian; and reading one back for
 * FUNCTION RESTORE. Pure functions.
 */
public final class FunctionPayload {
    /** A payload FUNCTION RESTORE refuses, with the error reply's text. */
    public static final class BadPayload extends Exception {
        BadPayload(String reply) {
            super(reply, null, false, false);
        }
    }

    private FunctionPayload() {
    }

    public static byte[] dump(List<byte[]> codes, boolean compression) {
        RdbRecordWriter w = new RdbRecordWriter(compression);
        for (byte[] code : codes) {
            w.function(code);
        }
        byte[] body = w.take();
        byte[] out = new byte[body.length + 10];
        System.arraycopy(body, 0, out, 0, body.length);
        out[body.length] = (byte) RdbType.RDB_VERSION;
        out[body.length + 1] = (byte) (RdbType.RDB_VERSION >> 8);
        long crc = Crc64.update(0, out, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    /** The libraries' code in a payload, or BadPayload with Redis's words. */
    public static List<byte[]> read(byte[] payload) throws BadPayload {
        if (!RdbValueReader.verifyDumpPayload(payload)) {
            throw new BadPayload("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes = new ArrayList<>();
        RdbValueReader r = new RdbValueReader(payload, 0, payload.length);
        try {
            while (payload.length - r.position() > 10) {
                int type = r.readByte();
                if (type != RdbType.OPCODE_FUNCTION2) {
                    throw new BadPayload("ERR given type is not a function");
                }
                codes.add(r.readString());
            }
        } catch (RdbFormatException e) {
            throw new BadPayload("ERR failed loading the given functions payload");
        }
        return codes;
    }
}
