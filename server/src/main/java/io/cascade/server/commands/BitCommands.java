package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.types.Bitmaps;

import java.util.Arrays;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP over string values, with Redis 7.0's argument order of checks,
 * errors and range arithmetic (bitops.c). BITFIELD is in BitfieldCommand. Command thread.
 */
public final class BitCommands {
    static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";

    private BitCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("setbit", 4, "write denyoom", BitCommands::setbit).keys(1, 1, 1, "RW access update").acl("bitmap")
                .doc("Sets or clears the bit at offset in the string value stored at key", "2.2.0", "bitmap", "O(1)",
                        "key:key offset:integer value:integer"));
        t.add(cmd("getbit", 3, "readonly fast", BitCommands::getbit).keys(1, 1, 1, "RO access").acl("bitmap")
                .doc("Returns the bit value at offset in the string value stored at key", "2.2.0", "bitmap", "O(1)",
                        "key:key offset:integer"));
        t.add(cmd("bitcount", -2, "readonly", BitCommands::bitcount).keys(1, 1, 1, "RO access").acl("bitmap")
                .doc("Count set bits in a string", "2.6.0", "bitmap", "O(N)",
                        "key:key [start:integer end:integer [BYTE|BIT]]"));
        t.add(cmd("bitpos", -3, "readonly", BitCommands::bitpos).keys(1, 1, 1, "RO access").acl("bitmap")
                .doc("Find first bit set or clear in a string", "2.8.7", "bitmap", "O(N)",
                        "key:key bit:integer [start:integer [end:integer [BYTE|BIT]]]"));
        t.add(cmd("bitop", -4, "write denyoom", BitCommands::bitop).keys(2, 2, 1, "OW update")
                .keys(3, -1, 1, "RO access").acl("bitmap")
                .doc("Perform bitwise operations between strings", "2.6.0", "bitmap", "O(N)",
                        "operation:string destkey:key key:key..."));
        BitfieldCommand.register(t);
    }

    /**
     * Redis's getBitOffsetFromArgument: a non-negative bit offset whose byte is below proto-max-bulk-len; with
     * hash and bits > 0, "#n" means n*bits (BITFIELD). The multiplication wraps as Redis's does.
     */
    static long bitOffset(CommandContext c, byte[] arg, boolean hash, int bits) {
        boolean useHash = hash && bits > 0 && arg.length > 0 && arg[0] == '#';
        Long v = Numbers.parseLong(useHash ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
        if (v == null) {
            throw new CommandException(BAD_OFFSET);
        }
        long off = useHash ? v * bits : v;
        if (off < 0 || (off >> 3) >= c.server.maxBulkLength()) {
            throw new CommandException(BAD_OFFSET);
        }
        return off;
    }

    /** Java arrays stop short of 2 GB: a larger proto-max-bulk-len cannot be honoured. */
    static int byteLength(long maxbit) {
        long n = (maxbit >>> 3) + 1;
        if (n > Integer.MAX_VALUE - 16) {
            throw new CommandException(BAD_OFFSET);
        }
        return (int) n;
    }

    static void setbit(CommandContext c) {
        long off = bitOffset(c, c.argv[2], false, 0);
        Long on = Numbers.parseLong(c.argv[3]);
        if (on == null || (on & ~1L) != 0) {
            throw new CommandException(BAD_BIT);
        }
        byte[] key = c.argv[1];
        byte[] old = c.lookupWrite(key, byte[].class);
        int need = byteLength(off);
        int at = need - 1;
        int shift = 7 - (int) (off & 7);
        int oldBit = old != null && at < old.length ? (old[at] >> shift) & 1 : 0;
        boolean grows = old == null || at >= old.length;
        // Redis counts a change (WATCH, dirty) only when the key is created, grows, or the bit flips
        if (grows || oldBit != on) {
            // a large string the store keeps on the heap changes in place: no copy of a whole bitmap per bit
            byte[] live = grows ? null : c.db().liveString(key);
            byte[] v = live != null ? live
                    : old == null ? new byte[need] : Arrays.copyOf(old, Math.max(old.length, need));
            v[at] = (byte) ((v[at] & ~(1 << shift)) | (on.intValue() << shift));
            if (live != null) {
                c.db().modifiedInPlace(key);
            } else {
                c.db().setBuiltInPlace(key, v);
            }
            c.notify(Notifications.STRING, "setbit", key);
        } else {
            c.db().unshareString(key); // lookupStringForBitCommand unshares it, the bit changed or not
        }
        c.reply.integer(oldBit);
    }

    static void getbit(CommandContext c) {
        long off = bitOffset(c, c.argv[2], false, 0);
        byte[] v = c.lookup(c.argv[1], byte[].class);
        long at = off >>> 3;
        int bit = 0;
        if (v != null && at < v.length) {
            bit = (v[(int) at] >> (7 - (int) (off & 7))) & 1;
        }
        c.reply.integer(bit);
    }

    /** BITCOUNT key [start end [BYTE|BIT]]: a missing key is 0 whatever the other arguments. */
    static void bitcount(CommandContext c) {
        byte[] p = c.lookup(c.argv[1], byte[].class);
        if (p == null) {
            c.reply.integer(0);
            return;
        }
        long start;
        long end;
        int firstMask = 0;
        int lastMask = 0;
        if (c.argc() == 4 || c.argc() == 5) {
            long totlen = p.length;
            start = c.longArg(2);
            end = c.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                c.reply.integer(0);
                return;
            }
            boolean isbit = unit(c, 4);
            if (isbit) {
                totlen <<= 3;
            }
            start = clampStart(start, totlen);
            end = clampEnd(end, totlen);
            if (isbit && start <= end) {
                // masks of the bits of the edge bytes that lie outside the bit range
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (c.argc() == 2) {
            start = 0;
            end = p.length - 1;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        if (start > end) {
            c.reply.integer(0);
            return;
        }
        long count = Bitmaps.popcount(p, (int) start, (int) (end - start + 1));
        count -= Integer.bitCount(p[(int) start] & firstMask) + Integer.bitCount(p[(int) end] & lastMask);
        c.reply.integer(count);
    }

    /** The optional BYTE|BIT argument at index i: true for BIT. */
    private static boolean unit(CommandContext c, int i) {
        if (c.argc() <= i) {
            return false;
        }
        String u = c.argLower(i);
        if (u.equals("bit")) {
            return true;
        }
        if (u.equals("byte")) {
            return false;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    private static long clampStart(long start, long totlen) {
        if (start < 0) {
            start = totlen + start;
        }
        return Math.max(start, 0);
    }

    private static long clampEnd(long end, long totlen) {
        if (end < 0) {
            end = totlen + end;
        }
        end = Math.max(end, 0);
        return end >= totlen ? totlen - 1 : end;
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]. */
    static void bitpos(CommandContext c) {
        long bitArg = c.longArg(2);
        if (bitArg != 0 && bitArg != 1) {
            throw new CommandException("ERR The bit argument must be 1 or 0.");
        }
        int bit = (int) bitArg;
        byte[] p = c.lookup(c.argv[1], byte[].class);
        if (p == null) {
            // a missing key is an endless run of zeros
            c.reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        long start;
        long end;
        boolean endGiven = false;
        int firstMask = 0;
        int lastMask = 0;
        int argc = c.argc();
        if (argc >= 4 && argc <= 6) {
            long totlen = p.length;
            start = c.longArg(3);
            boolean isbit = argc == 6 && unit(c, 5);
            if (argc >= 5) {
                end = c.longArg(4);
                endGiven = true;
            } else {
                end = isbit ? (totlen << 3) + 7 : totlen - 1;
            }
            if (isbit) {
                totlen <<= 3;
            }
            start = clampStart(start, totlen);
            end = clampEnd(end, totlen);
            if (isbit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (argc == 3) {
            start = 0;
            end = p.length - 1;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        if (start > end) {
            c.reply.integer(-1);
            return;
        }
        c.reply.integer(BitposScan.scan(p, (int) start, (int) end, bit, firstMask, lastMask, endGiven));
    }

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]: missing sources are empty strings, shorter ones zero-padded. */
    static void bitop(CommandContext c) {
        String op = c.argLower(1);
        if (!op.equals("and") && !op.equals("or") && !op.equals("xor") && !op.equals("not")) {
            throw new CommandException(Errors.SYNTAX);
        }
        if (op.equals("not") && c.argc() != 4) {
            throw new CommandException("ERR BITOP NOT must be called with a single source key.");
        }
        int numkeys = c.argc() - 3;
        byte[][] src = new byte[numkeys][];
        int maxlen = 0;
        for (int j = 0; j < numkeys; j++) {
            byte[] v = c.lookup(c.argv[j + 3], byte[].class);
            src[j] = v == null ? new byte[0] : v;
            maxlen = Math.max(maxlen, src[j].length);
        }
        byte[] dest = c.argv[2];
        if (maxlen == 0) {
            if (c.db().delete(dest)) {
                c.notify(Notifications.GENERIC, "del", dest);
            }
            c.reply.integer(0);
            return;
        }
        byte[] res = new byte[maxlen];
        for (int i = 0; i < maxlen; i++) {
            int out = at(src[0], i);
            switch (op) {
                case "not" -> out = ~out & 0xff;
                case "and" -> {
                    for (int j = 1; j < numkeys && out != 0; j++) {
                        out &= at(src[j], i);
                    }
                }
                case "or" -> {
                    for (int j = 1; j < numkeys && out != 0xff; j++) {
                        out |= at(src[j], i);
                    }
                }
                default -> {
                    for (int j = 1; j < numkeys; j++) {
                        out ^= at(src[j], i);
                    }
                }
            }
            res[i] = (byte) out;
        }
        c.db().set(dest, res);
        c.notify(Notifications.STRING, "set", dest);
        c.reply.integer(maxlen);
    }

    private static int at(byte[] b, int i) {
        return i < b.length ? b[i] & 0xff : 0;
    }
}
