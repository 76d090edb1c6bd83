package io.cascade.storage.types;

/**
 * One pending entry of a consumer group (Redis's streamNACK): when it was last delivered, how many times, and
 * to which consumer. The same object sits in the group's PEL and in its consumer's PEL. Command thread.
 */
public final class StreamNack {
    private long deliveryTime;
    private long deliveryCount;
    StreamConsumer consumer;

    StreamNack(long deliveryTime, long deliveryCount, StreamConsumer consumer) {
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
        this.consumer = consumer;
    }

    /** Milliseconds since the epoch. */
    public long deliveryTime() {
        return deliveryTime;
    }

    public void setDeliveryTime(long ms) {
        deliveryTime = ms;
    }

    /** An unsigned 64-bit count, as Redis keeps it. */
    public long deliveryCount() {
        return deliveryCount;
    }

    public void setDeliveryCount(long n) {
        deliveryCount = n;
    }

    /** The consumer it was last delivered to (StreamGroup.assign changes it). */
    public StreamConsumer consumer() {
        return consumer;
    }
}
