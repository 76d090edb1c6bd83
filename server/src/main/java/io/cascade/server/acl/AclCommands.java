package io.cascade.server.acl;

import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command table as ACLs see it: an id per command and subcommand (the bit a selector keeps for it), names
 * ("get", "config|get") and the members of each category, all in the table's order. Built once; read-only.
 */
final class AclCommands {
    private final Map<CommandSpec, Integer> ids = new IdentityHashMap<>();
    private final Map<String, CommandSpec> byName = new HashMap<>();
    /** Every command and subcommand, a container before its subcommands. */
    private final List<CommandSpec> ordered = new ArrayList<>();
    private final Map<String, List<CommandSpec>> categories = new HashMap<>();

    AclCommands(CommandTable table) {
        for (String category : CommandTable.ACL_CATEGORIES) {
            categories.put(category, new ArrayList<>());
        }
        for (CommandSpec spec : table.all()) {
            add(spec);
            for (CommandSpec sub : spec.subcommands().values()) {
                add(sub);
            }
        }
    }

    private void add(CommandSpec spec) {
        ids.put(spec, ordered.size());
        ordered.add(spec);
        byName.put(spec.fullName, spec);
        for (String category : spec.aclCategories) {
            categories.get(category).add(spec);
        }
    }

    int count() {
        return ordered.size();
    }

    int id(CommandSpec spec) {
        return ids.get(spec);
    }

    /** Every command and subcommand in table order (what ACL LIST's single-command rules follow). */
    List<CommandSpec> ordered() {
        return ordered;
    }

    /** A command by its full name ("get", "client|list"), any case; null when unknown. */
    CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The commands and subcommands of a category, or null when there is no such category. */
    List<CommandSpec> category(String name) {
        return categories.get(name.toLowerCase(Locale.ROOT));
    }
}
