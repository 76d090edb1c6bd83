package io.cascade.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * CONFIG SET of Redis 7.0 (configSetCommand): several pairs, validated all together, then set, then applied;
 * any failure restores every old value. Error texts are Redis's. Runs on the thread calling CONFIG SET.
 */
final class ConfigSet {
    private ConfigSet() {
    }

    static void set(Config cfg, List<String> pairs, boolean localClient, boolean loading) throws ConfigException {
        if (pairs.isEmpty()) {
            throw new ConfigException("ERR wrong number of arguments for 'config|set' command");
        }
        if (pairs.size() % 2 != 0) {
            throw new ConfigException("ERR syntax error");
        }
        int n = pairs.size() / 2;
        ConfigEntry[] entries = new ConfigEntry[n];
        String[] keys = new String[n]; // the table name that matched: primary or alias, lower case
        String invalidArgName = null;
        int invalidArgIndex = -1;
        String errstr = null;
        String errArgName = null;
        boolean invalid = false;
        boolean denyLoading = false;

        // Like Redis, keep scanning after the first problem (it redacts sensitive arguments on the way), but
        // only the first problem is reported; an unknown name wins only when nothing was wrong before it.
        for (int i = 0; i < n; i++) {
            String name = pairs.get(2 * i);
            ConfigEntry e = ConfigTable.lookup(name);
            if (e == null || !e.isRuntime()) {
                if (!invalid) {
                    invalidArgName = name;
                    invalidArgIndex = 2 * i;
                    invalid = true;
                }
                continue;
            }
            if (invalid) {
                continue;
            }
            if (e.has(ConfigEntry.Flag.IMMUTABLE)
                    || (e.has(ConfigEntry.Flag.PROTECTED) && !protectedAllowed(cfg, localClient))) {
                errstr = e.has(ConfigEntry.Flag.IMMUTABLE) ? "can't set immutable config" : "can't set protected config";
                errArgName = name;
                invalid = true;
                continue;
            }
            if (loading && e.has(ConfigEntry.Flag.DENY_LOADING)) {
                denyLoading = true;
                invalid = true;
                continue;
            }
            String key = name.toLowerCase(Locale.ROOT);
            // Redis registers an alias as a separate config, so "replica-priority 1 slave-priority 2" is no duplicate.
            for (int j = 0; j < i; j++) {
                if (keys[j].equals(key)) {
                    errstr = "duplicate parameter";
                    errArgName = name;
                    invalid = true;
                    break;
                }
            }
            entries[i] = e;
            keys[i] = key;
        }
        if (invalid) {
            if (denyLoading) {
                throw new ConfigException("LOADING Redis is loading the dataset in memory");
            } else if (invalidArgName != null) {
                throw new ConfigException("ERR Unknown option or number of arguments for CONFIG SET - '", invalidArgName,
                        invalidArgIndex, "'");
            }
            throw failed(errArgName, errstr);
        }

        Object[] old = new Object[n];
        for (int i = 0; i < n; i++) {
            old[i] = cfg.raw(entries[i]);
        }
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ConfigEntry e = entries[i];
            try {
                // CONFIG SET replaces the save rules; client-output-buffer-limit keeps the classes not named.
                Object current = e.name().equals("save") ? null : cfg.raw(e);
                Object next = e.codec().parse(e.splitSetValue(pairs.get(2 * i + 1)), current, cfg);
                cfg.putRaw(e, next);
                if (!Objects.equals(old[i], next)) {
                    changed.add(i);
                }
            } catch (Codec.BadValue bad) {
                restore(cfg, entries, old, i + 1);
                throw failed(keys[i], bad.getMessage());
            }
        }
        apply(cfg, entries, keys, old, changed);
    }

    /** Runs the apply step of each changed directive: hz clamping, then the registered hooks (each hook once). */
    private static void apply(Config cfg, ConfigEntry[] entries, String[] keys, Object[] old, List<Integer> changed)
            throws ConfigException {
        Set<ChangeHook> ran = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ChangeHook> ranInOrder = new ArrayList<>();
        List<Integer> ranFor = new ArrayList<>();
        for (int i : changed) {
            ConfigEntry e = entries[i];
            if (e.name().equals("hz")) {
                cfg.clampHz();
            }
            String oldText = e.codec().format(old[i]);
            for (ChangeHook hook : cfg.hooksOf(e)) {
                if (!ran.add(hook)) {
                    continue; // Redis runs a shared apply function once per CONFIG SET
                }
                String err = hook.apply(oldText, cfg);
                if (err != null) {
                    Log.warning("Failed applying new configuration. Possibly related to new %s setting. "
                            + "Restoring previous settings.", e.name());
                    rollback(cfg, entries, old, ranInOrder, ranFor);
                    throw failed(keys[i], err);
                }
                ranInOrder.add(hook);
                ranFor.add(i);
            }
        }
    }

    /** Restores every old value, then calls the hooks that had succeeded so they undo their effect. */
    private static void rollback(Config cfg, ConfigEntry[] entries, Object[] old, List<ChangeHook> hooks, List<Integer> hookFor) {
        Object[] failedValues = new Object[entries.length];
        for (int i = 0; i < entries.length; i++) {
            failedValues[i] = cfg.raw(entries[i]);
        }
        restore(cfg, entries, old, entries.length);
        for (int k = 0; k < hooks.size(); k++) {
            int i = hookFor.get(k);
            String err = hooks.get(k).apply(entries[i].codec().format(failedValues[i]), cfg);
            if (err != null) {
                Log.warning("Failed applying restored failed CONFIG SET command: %s", err);
            }
        }
    }

    private static void restore(Config cfg, ConfigEntry[] entries, Object[] old, int count) {
        for (int i = 0; i < count; i++) {
            cfg.putRaw(entries[i], old[i]);
        }
    }

    /** allowProtectedAction: enable-protected-configs yes, or local for a local client. */
    private static boolean protectedAllowed(Config cfg, boolean localClient) {
        String mode = cfg.getEnum("enable-protected-configs");
        return mode.equals("yes") || (mode.equals("local") && localClient);
    }

    private static ConfigException failed(String argName, String reason) {
        return new ConfigException(reason == null
                ? "ERR CONFIG SET failed (possibly related to argument '" + argName + "')"
                : "ERR CONFIG SET failed (possibly related to argument '" + argName + "') - " + reason);
    }
}
