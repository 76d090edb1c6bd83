package io.cascade.server.acl;

import io.cascade.server.command.CommandSpec;

/**
 * Which arguments of a command are Pub/Sub channels that ACLs check (Redis's commands_with_channels, the
 * publish and subscribe kinds; unsubscribing is never refused). Pure.
 */
final class AclChannels {
    /** Channels from argument first to the last one (or only first), as patterns or as names. */
    record Use(int first, boolean onlyFirst, boolean pattern) {
        int last(int argc) {
            return onlyFirst ? first : argc - 1;
        }
    }

    private static final Use SUBSCRIBE = new Use(1, false, false);
    private static final Use PSUBSCRIBE = new Use(1, false, true);
    private static final Use PUBLISH = new Use(1, true, false);

    private AclChannels() {
    }

    /** The channels spec's arguments hold, or null when it names none that ACLs check. */
    static Use of(CommandSpec spec) {
        return switch (spec.fullName) {
            case "subscribe", "ssubscribe" -> SUBSCRIBE;
            case "psubscribe" -> PSUBSCRIBE;
            case "publish", "spublish" -> PUBLISH;
            default -> null;
        };
    }
}
