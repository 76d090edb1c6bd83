package io.cascade.conf;

/** One "save <seconds> <changes>" rule: snapshot when at least changes writes happened within seconds. Immutable. */
public record SaveRule(long seconds, long changes) {
}
