package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len], as Redis's lposCommand. Command thread. */
final class ListPosCommand {
    private ListPosCommand() {
    }

    static void register(CommandTable t) {
        t.add(cmd("lpos", -3, "readonly", ListPosCommand::lpos).keys(1, 1, 1, "RO access").acl("list")
                .doc("Return the index of matching elements on a list", "6.0.6", "list", "O(N) where N is the number "
                        + "of elements in the list, for the average case. When searching for elements near the head "
                        + "or the tail of the list, or when the MAXLEN option is provided, the command may run in "
                        + "constant time.",
                        "key:key element:string [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]"));
    }

    static void lpos(CommandContext c) {
        long rank = 1;
        long count = -1; // -1: no COUNT option, reply a single index
        long maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "rank") && more) {
                rank = c.longArg(++j);
                if (rank == 0) {
                    throw new CommandException("ERR RANK can't be zero: use 1 to start from the first match, 2 from "
                            + "the second ... or use negative to start from the end of the list");
                }
            } else if (c.argIs(j, "count") && more) {
                count = ListPopCommands.atLeast(c, ++j, 0, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "maxlen") && more) {
                maxlen = ListPopCommands.atLeast(c, ++j, 0, "ERR MAXLEN can't be negative");
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank; // Long.MIN_VALUE stays negative, as the C negation does
        }
        RList list = c.lookup(c.argv[1], RList.class);
        if (list == null) {
            if (count != -1) {
                c.reply.array(0);
            } else {
                c.reply.nullBulk();
            }
            return;
        }
        byte[] element = c.argv[2];
        int size = list.size();
        List<Long> found = new ArrayList<>();
        long matches = 0;
        long matchIndex = -1;
        for (long index = 0; index < size && (maxlen == 0 || index < maxlen); index++) {
            int at = fromTail ? size - 1 - (int) index : (int) index;
            if (Arrays.equals(list.get(at), element)) {
                matches++;
                if (matches >= rank) {
                    if (count == -1) {
                        matchIndex = at;
                        break;
                    }
                    found.add((long) at);
                    if (count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
        }
        if (count != -1) {
            c.reply.array(found.size());
            for (long i : found) {
                c.reply.integer(i);
            }
        } else if (matchIndex != -1) {
            c.reply.integer(matchIndex);
        } else {
            c.reply.nullBulk();
        }
    }
}
