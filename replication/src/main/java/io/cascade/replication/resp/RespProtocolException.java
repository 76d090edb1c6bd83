package io.cascade.replication.resp;

/** A request that breaks the protocol; the message is Redis's reply text (without "-ERR "). Thrown on I/O threads. */
public final class RespProtocolException extends Exception {
    private final String logReason;

    public RespProtocolException(String replyText, String logReason) {
        super(replyText, null, false, false);
        this.logReason = logReason;
    }

    /** The short reason Redis writes in its "Protocol error (...) from client" log line. */
    public String logReason() {
        return logReason;
    }
}
