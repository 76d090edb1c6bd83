package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.types.Bitmaps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * BITFIELD and BITFIELD_RO as Redis 7.0's bitfieldGeneric: every subcommand is parsed (and every error
 * found) before anything runs; then the operations run in order on one copy of the string (or on the stored
 * array itself, for a large string that does not grow), each SET/INCRBY seeing the previous ones. Command thread.
 */
final class BitfieldCommand {
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;

    /** One parsed subcommand. */
    private record Op(int opcode, long offset, long value, int owtype, int bits, boolean signed) {
    }

    private BitfieldCommand() {
    }

    static void register(CommandTable t) {
        t.add(cmd("bitfield", -2, "write denyoom", c -> bitfield(c, false))
                .keys(1, 1, 1, "RW access update variable_flags")
                .keyNotes("This command allows both access and modification of the key").acl("bitmap")
                .doc("Perform arbitrary bitfield integer operations on strings", "3.2.0", "bitmap",
                        "O(1) for each subcommand specified",
                        "key:key [GET encoding:string offset:integer|[OVERFLOW WRAP|SAT|FAIL] "
                                + "(SET encoding:string offset:integer value:integer"
                                + "|INCRBY encoding:string offset:integer increment:integer)]..."));
        t.add(cmd("bitfield_ro", -2, "readonly fast", c -> bitfield(c, true)).keys(1, 1, 1, "RO access")
                .acl("bitmap")
                .doc("Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
                        "6.0.0", "bitmap", "O(1) for each subcommand specified",
                        "key:key [GET encoding:string offset:integer]..."));
    }

    static void bitfield(CommandContext c, boolean readonlyCommand) {
        List<Op> ops = new ArrayList<>();
        int owtype = Bitmaps.WRAP;
        boolean readonly = true;
        long highestWrite = 0;
        for (int j = 2; j < c.argc(); j++) {
            int remargs = c.argc() - j - 1;
            String sub = c.argLower(j);
            int opcode;
            if (sub.equals("get") && remargs >= 2) {
                opcode = GET;
            } else if (sub.equals("set") && remargs >= 3) {
                opcode = SET;
            } else if (sub.equals("incrby") && remargs >= 3) {
                opcode = INCRBY;
            } else if (sub.equals("overflow") && remargs >= 1) {
                String type = c.argLower(++j);
                owtype = switch (type) {
                    case "wrap" -> Bitmaps.WRAP;
                    case "sat" -> Bitmaps.SAT;
                    case "fail" -> Bitmaps.FAIL;
                    default -> throw new CommandException("ERR Invalid OVERFLOW type specified");
                };
                continue;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
            byte[] type = c.argv[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            int bits = typeBits(type);
            long offset = BitCommands.bitOffset(c, c.argv[j + 2], true, bits);
            long value = 0;
            if (opcode != GET) {
                readonly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = c.longArg(j + 3);
            }
            ops.add(new Op(opcode, offset, value, owtype, bits, signed));
            j += 3 - (opcode == GET ? 1 : 0);
        }

        byte[] key = c.argv[1];
        byte[] v;
        byte[] live = null;
        boolean grown = false;
        if (readonly) {
            v = c.lookup(key, byte[].class);
        } else {
            if (readonlyCommand) {
                throw new CommandException("ERR BITFIELD_RO only supports the GET subcommand");
            }
            byte[] old = c.lookupWrite(key, byte[].class);
            int need = BitCommands.byteLength(highestWrite);
            if (old == null) {
                v = new byte[need];
                grown = true;
            } else {
                grown = old.length < need;
                // a large string the store keeps on the heap, whose length stays, changes in place
                live = grown ? null : c.db().liveString(key);
                v = live != null ? live : Arrays.copyOf(old, Math.max(old.length, need));
            }
        }

        // the results are replied after the write: a write that fails must not be reported as done
        Long[] results = new Long[ops.size()];
        int at = 0;
        int changes = 0;
        long[] limit = new long[1];
        for (Op op : ops) {
            if (op.opcode == GET) {
                results[at++] = get(v, op);
                continue;
            }
            long oldval = op.signed ? Bitmaps.getSigned(v, op.offset, op.bits) : Bitmaps.getUnsigned(v, op.offset, op.bits);
            long newval;
            long retval;
            int overflow;
            if (op.opcode == INCRBY) {
                overflow = op.signed ? Bitmaps.checkSignedOverflow(oldval, op.value, op.bits, op.owtype, limit)
                        : Bitmaps.checkUnsignedOverflow(oldval, op.value, op.bits, op.owtype, limit);
                newval = overflow != 0 ? limit[0] : oldval + op.value;
                retval = newval;
            } else {
                newval = op.value;
                overflow = op.signed ? Bitmaps.checkSignedOverflow(newval, 0, op.bits, op.owtype, limit)
                        : Bitmaps.checkUnsignedOverflow(newval, 0, op.bits, op.owtype, limit);
                if (overflow != 0) {
                    newval = limit[0];
                }
                retval = oldval;
            }
            if (overflow != 0 && op.owtype == Bitmaps.FAIL) {
                at++; // FAIL: nothing written, a null for this operation
                continue;
            }
            results[at++] = retval;
            Bitmaps.set(v, op.offset, op.bits, newval);
            if (grown || oldval != newval) {
                changes++;
            }
        }
        // Redis creates or pads the string even when every write failed, but counts a change only otherwise
        if (live != null && changes > 0) {
            c.db().modifiedInPlace(key);
        } else if (!readonly && (grown || changes > 0)) {
            c.db().setBuiltInPlace(key, v);
        } else if (!readonly) {
            c.db().unshareString(key); // lookupStringForBitCommand unshares it, changed or not
        }
        c.reply.array(results.length);
        for (Long r : results) {
            if (r == null) {
                c.reply.nullBulk();
            } else {
                c.reply.integer(r);
            }
        }
        if (changes > 0) {
            c.notify(Notifications.STRING, "setbit", key);
        }
    }

    /** GET reads through a zero-padded copy of up to 9 bytes, so fields past the end read as zeros. */
    private static long get(byte[] v, Op op) {
        byte[] buf = new byte[9];
        long at = op.offset >>> 3;
        for (int i = 0; i < 9 && v != null && i + at < v.length; i++) {
            buf[i] = v[(int) (at + i)];
        }
        long off = op.offset - at * 8;
        return op.signed ? Bitmaps.getSigned(buf, off, op.bits) : Bitmaps.getUnsigned(buf, off, op.bits);
    }

    /** Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the number read as C reads it, up to a NUL). */
    private static int typeBits(byte[] type) {
        if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
            throw new CommandException(BAD_TYPE);
        }
        int n = 1;
        while (n < type.length && type[n] != 0) {
            n++;
        }
        Long bits = Numbers.parseLong(Arrays.copyOfRange(type, 1, n));
        boolean signed = type[0] == 'i';
        if (bits == null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
            throw new CommandException(BAD_TYPE);
        }
        return bits.intValue();
    }
}
