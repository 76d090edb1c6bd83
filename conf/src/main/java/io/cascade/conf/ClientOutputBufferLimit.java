package io.cascade.conf;

/**
 * Output buffer limits of one client class: disconnect past hardLimitBytes, or when over softLimitBytes for
 * softLimitSeconds in a row. 0 disables a limit. Immutable.
 */
public record ClientOutputBufferLimit(long hardLimitBytes, long softLimitBytes, long softLimitSeconds) {
}
