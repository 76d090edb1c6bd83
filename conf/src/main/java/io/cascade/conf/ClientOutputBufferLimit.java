package io.cascade.conf;

/**
 * Output buffer limits of one client class: disconnect past hardLimitBytes, or when over softLimitBytes for
 * softLimitSeconds in a row. 0 disables a limit. Immutable.
 */
public record ClientOutputBufferLimit(long hardLimitBytes, long softLimitBytes, long softLimitSeconds) {
    /** When one client's use went over the soft limit and stayed there (obuf_soft_limit_reached_time). */
    public static final class SoftClock {
        private long reachedMillis;
    }

    /**
     * Redis's checkClientOutputBufferLimits for one reading of what the client has not taken: true past hard
     * (the class's hard limit, or a larger one the caller enforces: a replica's is never below the backlog),
     * or past the soft limit continuously for more than its seconds, as clock remembers.
     */
    public boolean exceeded(long used, long hard, SoftClock clock, long nowMillis) {
        boolean overHard = hard > 0 && used >= hard;
        boolean overSoft = softLimitBytes > 0 && used >= softLimitBytes;
        if (!overSoft) {
            clock.reachedMillis = 0;
        } else if (clock.reachedMillis == 0) {
            clock.reachedMillis = nowMillis; // first seen over it
            overSoft = false;
        } else if ((nowMillis - clock.reachedMillis) / 1000 <= softLimitSeconds) {
            overSoft = false; // not for long enough yet
        }
        return overHard || overSoft;
    }
}
