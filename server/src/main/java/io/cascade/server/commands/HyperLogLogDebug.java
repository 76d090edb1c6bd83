package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.storage.types.HyperLogLog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * PFDEBUG (GETREG, DECODE, ENCODING, TODENSE) and PFSELFTEST, the HyperLogLog introspection commands Redis's
 * own test suite relies on. Command thread.
 */
final class HyperLogLogDebug {
    private HyperLogLogDebug() {
    }

    static void register(CommandTable t) {
        t.add(cmd("pfdebug", 3, "write denyoom admin", HyperLogLogDebug::pfdebug).keys(2, 2, 1, "RW access")
                .acl("hyperloglog")
                .doc("Internal commands for debugging HyperLogLog values", "2.8.9", "hyperloglog", "N/A",
                        "subcommand:string key:key"));
        t.add(cmd("pfselftest", 1, "admin", HyperLogLogDebug::pfselftest).acl("hyperloglog")
                .doc("An internal command for testing HyperLogLog values", "2.8.9", "hyperloglog", "N/A", null));
    }

    static void pfdebug(CommandContext c) {
        byte[] key = c.argv[2];
        byte[] v = c.lookupWrite(key, byte[].class);
        if (v == null) {
            throw new CommandException("ERR The specified key does not exist");
        }
        HyperLogLogCommands.checkHll(v);
        c.db().unshareString(key); // pfdebugCommand unshares the value first, whatever the subcommand
        HyperLogLog h = HyperLogLog.of(v);
        switch (c.argLower(1)) {
            case "getreg" -> {
                if (!h.isDense()) {
                    if (!h.toDense()) {
                        throw new CommandException(HyperLogLogCommands.CORRUPT);
                    }
                    c.db().setBuiltInPlace(key, h.toBytes()); // Redis converts the stored value
                }
                c.reply.array(HyperLogLog.REGISTERS);
                for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                    c.reply.integer(h.register(j));
                }
            }
            case "decode" -> {
                if (h.isDense()) {
                    throw new CommandException("ERR HLL encoding is not sparse");
                }
                c.reply.bulk(h.decodeSparse());
            }
            case "encoding" -> c.reply.simple(h.isDense() ? "dense" : "sparse");
            case "todense" -> {
                boolean conv = false;
                if (!h.isDense()) {
                    if (!h.toDense()) {
                        throw new CommandException(HyperLogLogCommands.CORRUPT);
                    }
                    c.db().setBuiltInPlace(key, h.toBytes());
                    conv = true;
                }
                c.reply.integer(conv ? 1 : 0);
            }
            default -> throw ErrorText.of("ERR Unknown PFDEBUG subcommand '").arg(c.argv[1]).text("'").exception();
        }
    }

    /**
     * Redis's PFSELFTEST: dense registers keep what is written without disturbing neighbours; then the same
     * 10 million elements go to a dense and a sparse HLL, which must stay sparse while small, agree with each
     * other, and stay within 6 standard errors at every power of ten.
     */
    static void pfselftest(CommandContext c) {
        SplittableRandom rnd = new SplittableRandom();
        HyperLogLog dense = HyperLogLog.create();
        dense.toDense();
        int[] expect = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expect[i] = rnd.nextInt(HyperLogLog.REGISTER_MAX + 1);
                dense.setRegister(i, expect[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                if (dense.register(i) != expect[i]) {
                    throw new CommandException("TESTFAILED Register " + i + " should be " + expect[i]
                            + " but is " + dense.register(i));
                }
            }
        }
        dense = HyperLogLog.create();
        dense.toDense();
        HyperLogLog sparse = HyperLogLog.create();
        long maxBytes = HyperLogLogCommands.sparseMaxBytes(c);
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        ByteBuffer ele = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (long j = 1; j <= 10_000_000; j++) {
            ele.putLong(0, j ^ seed);
            byte[] e = ele.array();
            dense.add(e, maxBytes);
            sparse.add(e, maxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < maxBytes / 2 && sparse.isDense()) {
                throw new CommandException("TESTFAILED sparse encoding not used");
            }
            long card = dense.count();
            if (card != sparse.count()) {
                throw new CommandException("TESTFAILED dense/sparse disagree");
            }
            long abserr = Math.abs(checkpoint - card);
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            if (j == 10) {
                maxerr = 1; // Redis's allowance for cardinality 10, where a collision is statistically likely
            }
            if (abserr > maxerr) {
                throw new CommandException("TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr);
            }
            checkpoint *= 10;
        }
        c.ok();
    }
}
