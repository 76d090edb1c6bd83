package io.cascade.conf;

/** A host and TCP port, e.g. the master named by replicaof. Immutable. */
public record HostPort(String host, int port) {
    @Override
    public String toString() {
        return host + " " + port;
    }
}
