package io.cascade.server.commands;

import io.cascade.storage.types.StreamId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The number of nodes rax.c would have for a set of stream IDs as keys (XINFO STREAM's radix-tree-nodes): the
 * head, a compressed node per run of bytes shared without a branch, a branching node where keys part, and one
 * empty node where each key ends. Pure functions, any thread.
 */
final class RaxNodes {
    private RaxNodes() {
    }

    static long count(Collection<StreamId> ids) {
        if (ids.isEmpty()) {
            return 1; // the empty head
        }
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (StreamId id : ids) {
            keys.add(id.encode()); // in order already: big endian IDs sort as the IDs
        }
        return node(keys, 0, keys.size(), 0);
    }

    /** Nodes for keys[from, to) (sorted, all 16 bytes, distinct) from byte depth on. */
    private static long node(List<byte[]> keys, int from, int to, int depth) {
        if (to - from == 1) {
            return depth < 16 ? 2 : 1; // a compressed node with the rest, then the key's node
        }
        int prefix = depth;
        byte[] a = keys.get(from);
        byte[] b = keys.get(to - 1);
        while (prefix < 16 && a[prefix] == b[prefix]) {
            prefix++;
        }
        long nodes = prefix > depth ? 2 : 1; // a compressed node for the shared run, then the branching node
        int i = from;
        while (i < to) {
            int j = i + 1;
            while (j < to && keys.get(j)[prefix] == keys.get(i)[prefix]) {
                j++;
            }
            nodes += node(keys, i, j, prefix + 1);
            i = j;
        }
        return nodes;
    }
}
