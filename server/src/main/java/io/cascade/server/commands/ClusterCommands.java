package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING as a Redis 7.0 started without cluster-enabled
 * has them (cluster.c): declared with Redis's arity, flags and docs, so COMMAND INFO / LIST / DOCS and the
 * script checks (CLUSTER RESET is noscript) see them, while every one of them answers that cluster support
 * is disabled, HELP included (clusterCommand checks cluster_enabled before it looks at the subcommand).
 * Command thread.
 */
public final class ClusterCommands {
    static final String DISABLED = "ERR This instance has cluster support disabled";
    private static final String ADMIN = "no_async_loading admin stale";
    private static final String NONDETERMINISTIC = "nondeterministic_output";
    private static final String SLOTS_RANGE = "start-slot_end-slot:block(start-slot:integer end-slot:integer)...";
    private static final String RANGE_COMPLEXITY =
            "O(N) where N is the total number of the slots between the start slot and end slot arguments.";

    private ClusterCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("cluster", -2, "", null)
                .doc("A container for cluster commands", "3.0.0", "cluster", "Depends on subcommand.", null)
                .sub(sub("addslots", -3, ADMIN)
                        .doc("Assign new hash slots to receiving node", "3.0.0", "cluster",
                                "O(N) where N is the total number of hash slot arguments", "slot:integer..."))
                .sub(sub("addslotsrange", -4, ADMIN)
                        .doc("Assign new hash slots to receiving node", "7.0.0", "cluster", RANGE_COMPLEXITY,
                                SLOTS_RANGE))
                .sub(sub("bumpepoch", 2, ADMIN).tips(NONDETERMINISTIC)
                        .doc("Advance the cluster config epoch", "3.0.0", "cluster", "O(1)", null))
                .sub(sub("count-failure-reports", 3, "admin stale").tips(NONDETERMINISTIC)
                        .doc("Return the number of failure reports active for a given node", "3.0.0", "cluster",
                                "O(N) where N is the number of failure reports", "node-id:string"))
                .sub(sub("countkeysinslot", 3, "stale")
                        .doc("Return the number of local keys in the specified hash slot", "3.0.0", "cluster", "O(1)",
                                "slot:integer"))
                .sub(sub("delslots", -3, ADMIN)
                        .doc("Set hash slots as unbound in receiving node", "3.0.0", "cluster",
                                "O(N) where N is the total number of hash slot arguments", "slot:integer..."))
                .sub(sub("delslotsrange", -4, ADMIN)
                        .doc("Set hash slots as unbound in receiving node", "7.0.0", "cluster", RANGE_COMPLEXITY,
                                SLOTS_RANGE))
                .sub(sub("failover", -2, ADMIN)
                        .doc("Forces a replica to perform a manual failover of its master.", "3.0.0", "cluster",
                                "O(1)", "[options:oneof(FORCE|TAKEOVER)]"))
                .sub(sub("flushslots", 2, ADMIN)
                        .doc("Delete a node's own slots information", "3.0.0", "cluster", "O(1)", null))
                .sub(sub("forget", 3, ADMIN)
                        .doc("Remove a node from the nodes table", "3.0.0", "cluster", "O(1)", "node-id:string"))
                .sub(sub("getkeysinslot", 4, "stale").tips(NONDETERMINISTIC)
                        .doc("Return local key names in the specified hash slot", "3.0.0", "cluster",
                                "O(log(N)) where N is the number of requested keys", "slot:integer count:integer"))
                .sub(sub("help", 2, "loading stale")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "cluster", "O(1)", null))
                .sub(sub("info", 2, "stale").tips(NONDETERMINISTIC)
                        .doc("Provides info about Redis Cluster node state", "3.0.0", "cluster", "O(1)", null))
                .sub(sub("keyslot", 3, "stale")
                        .doc("Returns the hash slot of the specified key", "3.0.0", "cluster",
                                "O(N) where N is the number of bytes in the key", "key:string"))
                .sub(sub("links", 2, "stale").tips(NONDETERMINISTIC)
                        .doc("Returns a list of all TCP links to and from peer nodes in cluster", "7.0.0", "cluster",
                                "O(N) where N is the total number of Cluster nodes", null))
                .sub(sub("meet", -4, ADMIN)
                        .doc("Force a node cluster to handshake with another node", "3.0.0", "cluster", "O(1)",
                                "ip:string port:integer [cluster_bus_port:integer]"))
                .sub(sub("myid", 2, "stale")
                        .doc("Return the node id", "3.0.0", "cluster", "O(1)", null))
                .sub(sub("nodes", 2, "stale").tips(NONDETERMINISTIC)
                        .doc("Get Cluster config for the node", "3.0.0", "cluster",
                                "O(N) where N is the total number of Cluster nodes", null))
                .sub(sub("replicas", 3, "admin stale").tips(NONDETERMINISTIC)
                        .doc("List replica nodes of the specified master node", "5.0.0", "cluster", "O(1)",
                                "node-id:string"))
                .sub(sub("replicate", 3, ADMIN)
                        .doc("Reconfigure a node as a replica of the specified master node", "3.0.0", "cluster",
                                "O(1)", "node-id:string"))
                .sub(sub("reset", -2, "admin stale noscript")
                        .doc("Reset a Redis Cluster node", "3.0.0", "cluster", "O(N) where N is the number of known "
                                + "nodes. The command may execute a FLUSHALL as a side effect.",
                                "[hard_soft:oneof(HARD|SOFT)]"))
                .sub(sub("saveconfig", 2, ADMIN)
                        .doc("Forces the node to save cluster state on disk", "3.0.0", "cluster", "O(1)", null))
                .sub(sub("set-config-epoch", 3, ADMIN)
                        .doc("Set the configuration epoch in a new node", "3.0.0", "cluster", "O(1)",
                                "config-epoch:integer"))
                .sub(sub("setslot", -4, ADMIN)
                        .doc("Bind a hash slot to a specific node", "3.0.0", "cluster", "O(1)", "slot:integer "
                                + "subcommand:oneof(IMPORTING node-id:string|MIGRATING node-id:string|"
                                + "NODE node-id:string|STABLE)"))
                .sub(sub("shards", 2, "stale").tips(NONDETERMINISTIC)
                        .doc("Get array of cluster slots to node mappings", "7.0.0", "cluster",
                                "O(N) where N is the total number of cluster nodes", null))
                .sub(sub("slaves", 3, "admin stale").tips(NONDETERMINISTIC)
                        .doc("List replica nodes of the specified master node", "3.0.0", "cluster", "O(1)",
                                "node-id:string"))
                .sub(sub("slots", 2, "stale").tips(NONDETERMINISTIC)
                        .doc("Get array of Cluster slot to node mappings", "3.0.0", "cluster",
                                "O(N) where N is the total number of Cluster nodes", null)));
        // the connection state these set (CLIENT_ASKING, CLIENT_READONLY) only means something in cluster mode
        t.add(cmd("asking", 1, "fast", ClusterCommands::disabled).acl("connection")
                .doc("Sent by cluster clients after an -ASK redirect", "3.0.0", "cluster", "O(1)", null));
        t.add(cmd("readonly", 1, "fast loading stale", ClusterCommands::disabled).acl("connection")
                .doc("Enables read queries for a connection to a cluster replica node", "3.0.0", "cluster", "O(1)",
                        null));
        t.add(cmd("readwrite", 1, "fast loading stale", ClusterCommands::disabled).acl("connection")
                .doc("Disables read queries for a connection to a cluster replica node", "3.0.0", "cluster", "O(1)",
                        null));
    }

    private static CommandTable.Decl sub(String name, int arity, String flags) {
        return cmd(name, arity, flags, ClusterCommands::disabled);
    }

    static void disabled(CommandContext c) {
        c.reply.error(DISABLED);
    }
}
