package io.cascade.server.commands;

import io.cascade.storage.types.Bitmaps;

/**
 * BITPOS's search over a byte range whose first and last bytes may be only partly inside a BIT range, in the
 * exact steps of Redis 7.0's bitposCommand (edge bytes masked, the middle scanned whole), because the
 * "no clear bit inside an explicit range" answer depends on how far the last step looked. Pure function.
 */
final class BitposScan {
    private BitposScan() {
    }

    /**
     * start..end are byte indexes (inclusive, start <= end); firstMask/lastMask are the bits of the edge bytes
     * outside the range (0 in BYTE mode). Returns the bit position in the string, or -1.
     */
    static long scan(byte[] p, int start, int end, int bit, int firstMask, int lastMask, boolean endGiven) {
        long bytes = end - start + 1;
        long pos;
        result:
        {
            if (firstMask != 0) {
                int tmp = bit == 1 ? p[start] & ~firstMask : p[start] | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    // the range starts and ends inside the same byte
                    tmp = bit == 1 ? tmp & ~lastMask : tmp | lastMask;
                }
                pos = Bitmaps.bitpos(new byte[] {(byte) tmp}, 0, 1, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break result;
                }
                start++;
                bytes--;
            }
            // the last byte, when it is partly outside the range, is looked at on its own
            long curbytes = bytes - (lastMask != 0 ? 1 : 0);
            if (curbytes > 0) {
                pos = Bitmaps.bitpos(p, start, (int) curbytes, bit);
                if (bytes == curbytes || (pos != -1 && pos != curbytes << 3)) {
                    break result;
                }
                start += (int) curbytes;
                bytes -= curbytes;
            }
            int tmp = bit == 1 ? p[end] & ~lastMask : p[end] | lastMask;
            pos = Bitmaps.bitpos(new byte[] {(byte) tmp}, 0, 1, bit);
        }
        // looking for a clear bit in an explicit range: the zero padding after the range does not count
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1;
        }
        if (pos != -1) {
            pos += (long) start << 3;
        }
        return pos;
    }
}
