package io.cascade.server.scripting;

import io.cascade.conf.ArgSplitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Script flags as Redis 7.0 declares them (scripts_flags_def) and the "#!lua flags=..." shebang of EVAL
 * scripts (evalExtractShebangFlags). Pure functions.
 */
final class ScriptFlags {
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 2;
    static final int ALLOW_STALE = 4;
    static final int NO_CLUSTER = 8;
    static final int EVAL_COMPAT_MODE = 16;
    static final int ALLOW_CROSS_SLOT = 32;

    static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", null,
            "allow-cross-slot-keys"};

    private ScriptFlags() {
    }

    static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (name.equals(NAMES[i])) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** The names of the flags set, in Redis's order (FUNCTION LIST). */
    static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i] != null && (flags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    /** A parsed shebang: the flags and how many bytes of the body it takes (its line, without the \n). */
    record Shebang(int flags, int length) {
    }

    /** The shebang of an EVAL body, or a ScriptException with Redis's text; no shebang means compat mode. */
    static Shebang parse(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Shebang(EVAL_COMPAT_MODE, 0);
        }
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new ScriptException("ERR Invalid script shebang");
        }
        List<byte[]> raw = ArgSplitter.split(Arrays.copyOf(body, end));
        List<String> parts = null;
        if (raw != null) {
            parts = new ArrayList<>();
            for (byte[] r : raw) {
                parts.add(new String(r, StandardCharsets.UTF_8));
            }
        }
        if (parts == null || parts.isEmpty()) {
            throw new ScriptException("ERR Invalid engine in script shebang");
        }
        if (!parts.get(0).equals("#!lua")) {
            throw new ScriptException("ERR Unexpected engine in script shebang: " + parts.get(0));
        }
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            String p = parts.get(j);
            if (!p.startsWith("flags=")) {
                throw new ScriptException("ERR Unknown lua shebang option: " + p);
            }
            String list = p.substring(6);
            // sdssplitlen of an empty string gives no elements; "a,,b" gives an empty one, which is unknown
            if (list.isEmpty()) {
                continue;
            }
            for (String f : list.split(",", -1)) {
                int bit = byName(f);
                if (bit == 0) {
                    throw new ScriptException("ERR Unexpected flag in script shebang: " + f);
                }
                flags |= bit;
            }
        }
        return new Shebang(flags, end);
    }
}
