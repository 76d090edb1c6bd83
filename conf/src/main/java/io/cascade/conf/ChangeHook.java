package io.cascade.conf;

/**
 * Called by CONFIG SET after a directive's value changed, on the thread running CONFIG SET. Returns null when
 * the change took effect, or a reason (e.g. "Unable to listen on this port. Check server logs.") to fail the whole
 * CONFIG SET, which then restores every old value and calls the hooks that already succeeded again.
 */
@FunctionalInterface
public interface ChangeHook {
    String apply(String oldValueFormatted, Config cfg);
}
