package io.cascade.conf;

import java.util.List;

/**
 * How one directive's value is parsed from arguments, printed for CONFIG GET and written by CONFIG REWRITE.
 * Values are immutable objects (Boolean, Long, Integer, String, List, records) so readers on other threads
 * can share them. Stateless; used on the config thread.
 */
abstract class Codec {

    /** A value was refused; the message is Redis's reason text, e.g. "argument must be a memory value". */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Parses the arguments (already split) into a new value.
     *
     * @param current the value before, for directives that add to it (client-output-buffer-limit per class, save
     *                lines of one file); may be null while the defaults are being built
     * @param cfg     the configuration being changed, or null while the defaults are being built
     */
    abstract Object parse(List<String> args, Object current, Config cfg) throws BadValue;

    /** Parses a default as CONFIG GET prints it; differs from {@link #parse} only where "" means "none". */
    Object parseDefault(ConfigEntry entry, String text) throws BadValue {
        return parse(entry.splitSetValue(text), null, null);
    }

    /** The CONFIG GET text. */
    abstract String format(Object value);

    /** Writes this directive's lines into a CONFIG REWRITE state. */
    abstract void rewrite(RewriteState state, ConfigEntry entry, Object value);

    /** The single argument of a one-argument directive (the loader and CONFIG SET enforce the count). */
    static String one(List<String> args) throws BadValue {
        if (args.size() != 1) {
            throw new BadValue("wrong number of arguments");
        }
        return args.get(0);
    }
}
