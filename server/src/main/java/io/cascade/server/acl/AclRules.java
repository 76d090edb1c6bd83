package io.cascade.server.acl;

import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandTable;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command rules of a selector written back as ACL SETUSER rules (ACLDescribeSelectorCommandRules): "+@all" or
 * "-@all", then the categories that fit best, then single commands until the bits match exactly. Pure.
 */
final class AclRules {
    private AclRules() {
    }

    static String describe(AclSelector selector) {
        AclCommands commands = selector.commands;
        StringBuilder rules = new StringBuilder();
        // whether the user may run commands added later decides the start: "+@all" and take away, or the contrary
        boolean additive = !selector.future;
        rules.append(additive ? "-@all " : "+@all ");
        BitSet predicted = new BitSet(commands.count());
        if (!additive) {
            predicted.set(0, commands.count());
        }
        // a copy on which each chosen category is undone, so that the next pick sees what is left to explain
        BitSet remaining = (BitSet) selector.allowed.clone();
        Set<String> applied = new HashSet<>();
        while (true) {
            String best = null;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (String category : CommandTable.ACL_CATEGORIES) {
                if (applied.contains(category)) {
                    continue;
                }
                long on = 0;
                long off = 0;
                for (CommandSpec spec : commands.category(category)) {
                    if (remaining.get(commands.id(spec))) {
                        on++;
                    } else {
                        off++;
                    }
                }
                long diff = additive ? off : on;
                long same = additive ? on : off;
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = category;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best == null) {
                break;
            }
            for (CommandSpec spec : commands.category(best)) {
                change(commands, predicted, spec, additive);
                change(commands, remaining, spec, !additive);
            }
            rules.append(additive ? "+@" : "-@").append(best).append(' ');
            applied.add(best);
        }
        for (CommandSpec spec : commands.ordered()) {
            int id = commands.id(spec);
            boolean userBit = selector.allowed.get(id);
            if (userBit != predicted.get(id)) {
                rules.append(userBit ? '+' : '-').append(spec.fullName).append(' ');
                change(commands, predicted, spec, userBit);
            }
            List<String> firstArgs = selector.firstArgs == null ? null : selector.firstArgs.get(id);
            if (!userBit && firstArgs != null) {
                for (String arg : firstArgs) {
                    rules.append('+').append(spec.fullName).append('|').append(arg).append(' ');
                }
            }
        }
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    /** ACLChangeSelectorPerm on a bare bitmap: the command's bit and its subcommands'. */
    private static void change(AclCommands commands, BitSet bits, CommandSpec spec, boolean allow) {
        bits.set(commands.id(spec), allow);
        for (CommandSpec sub : spec.subcommands().values()) {
            bits.set(commands.id(sub), allow);
        }
    }
}
