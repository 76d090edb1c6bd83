package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ScanArgs;
import io.cascade.storage.Keyspace;
import io.cascade.storage.RType;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] over the selected database (scanGenericCommand). Command thread. */
public final class ScanCommand {
    private ScanCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("scan", -2, "readonly", ScanCommand::scan).acl("keyspace")
                .tips("nondeterministic_output request_policy:special")
                .doc("Incrementally iterate the keys space", "2.8.0", "generic", "O(1) for every call. O(N) for a "
                        + "complete iteration, including enough command calls for the cursor to return back to 0. N "
                        + "is the number of elements inside the collection.",
                        "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type:string]"));
    }

    /**
     * One step of the keyspace iterator, then Redis's filters in its order: the pattern, the type (an unknown
     * type name filters everything out), and expired keys, which are deleted on the way as expireIfNeeded does.
     */
    static void scan(CommandContext c) {
        ScanArgs a = ScanArgs.parse(c, 1, true);
        Keyspace db = c.db();
        List<byte[]> keys = new ArrayList<>();
        long next = db.scan(a.cursor, a.count, keys::add);
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (!a.matches(k)) {
                continue;
            }
            if (a.type != null) {
                // a read that expires the key: an expired key is of type "none" here (and so kept by TYPE none)
                Object v = c.lookupNoTouch(k, Object.class);
                if (!(v == null ? "none" : RType.of(v).typeName).equals(a.type)) {
                    continue;
                }
            }
            if (db.isExpired(k)) {
                db.exists(k); // deletes it on a master
                continue;
            }
            out.add(k);
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(next));
        c.reply.array(out.size());
        out.forEach(c.reply::bulk);
    }
}
