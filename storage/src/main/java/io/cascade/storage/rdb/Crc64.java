package io.cascade.storage.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Redis's CRC64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and output, initial value 0
 * and no final xor. It closes DUMP payloads and RDB files. Computed eight bytes at a time with eight tables
 * ("slicing by 8", as Redis's crcspeed does), since an RDB load checks every byte of the file. Pure functions;
 * any thread.
 */
public final class Crc64 {
    private static final long[][] T = new long[8][256];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        long poly = 0x95ac9329ac4bc9b5L; // the Jones polynomial, bit-reversed for the reflected algorithm
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            T[0][i] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = T[k - 1][i];
                T[k][i] = (prev >>> 8) ^ T[0][(int) (prev & 0xff)];
            }
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code len} bytes of {@code b} from {@code off}. */
    public static long update(long crc, byte[] b, int off, int len) {
        long[] t0 = T[0];
        int i = off;
        int end = off + len;
        if (len >= 16) {
            long[] t1 = T[1];
            long[] t2 = T[2];
            long[] t3 = T[3];
            long[] t4 = T[4];
            long[] t5 = T[5];
            long[] t6 = T[6];
            long[] t7 = T[7];
            for (; i + 8 <= end; i += 8) {
                crc ^= (long) LONG_LE.get(b, i);
                crc = t7[(int) (crc & 0xff)] ^ t6[(int) ((crc >>> 8) & 0xff)]
                        ^ t5[(int) ((crc >>> 16) & 0xff)] ^ t4[(int) ((crc >>> 24) & 0xff)]
                        ^ t3[(int) ((crc >>> 32) & 0xff)] ^ t2[(int) ((crc >>> 40) & 0xff)]
                        ^ t1[(int) ((crc >>> 48) & 0xff)] ^ t0[(int) (crc >>> 56)];
            }
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
