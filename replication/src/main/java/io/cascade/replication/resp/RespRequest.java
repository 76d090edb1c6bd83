package io.cascade.replication.resp;

/**
 * One decoded request: its arguments and how many bytes it took on the wire (inline or multibulk).
 * Created on an I/O thread, handed to the command thread; immutable after that.
 */
public record RespRequest(byte[][] args, int wireLength, boolean inline) {
    public int argc() {
        return args.length;
    }

    public byte[] arg(int i) {
        return args[i];
    }
}
