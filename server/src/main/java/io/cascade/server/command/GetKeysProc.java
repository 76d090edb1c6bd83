package io.cascade.server.command;

import java.util.List;

/**
 * Redis's getkeys_proc: finds the keys of a command whose key specs cannot (SORT's STORE, MIGRATE's KEYS, a
 * numkeys that does not parse). Returns the keys found, empty when there are none. Pure function of argv.
 */
@FunctionalInterface
public interface GetKeysProc {
    List<KeyReference> keys(byte[][] argv);
}
