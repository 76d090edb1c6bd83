package io.cascade.server.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An error line that quotes the client's arguments as Redis's printf does with (char*)argv->ptr: the bytes
 * as they came (never decoded, so "\xff\xfe" stays two bytes), cut at the first NUL as C's %s cuts, and at
 * most N bytes for "%.Ns". Built and used on the command thread.
 */
public final class ErrorText {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ErrorText() {
    }

    /** Starts a line with its code, e.g. "ERR Unsupported option ". */
    public static ErrorText of(String text) {
        return new ErrorText().text(text);
    }

    public ErrorText text(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Bytes as they are (a quoted error's text). */
    public ErrorText raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** "%s" of an argument. */
    public ErrorText arg(byte[] arg) {
        out.write(arg, 0, CString.length(arg));
        return this;
    }

    /** "%.Ns" of an argument. */
    public ErrorText arg(byte[] arg, int max) {
        out.write(arg, 0, Math.min(max, CString.length(arg)));
        return this;
    }

    /** sdstoupper(sdsnew(argv->ptr)): the argument up to its NUL, ASCII letters upper-cased. */
    public ErrorText upper(byte[] arg) {
        for (int i = 0; i < CString.length(arg); i++) {
            int c = arg[i] & 0xff;
            out.write(c >= 'a' && c <= 'z' ? c - 32 : c);
        }
        return this;
    }

    /** The bytes written so far (how many the next "%.*s" may still take). */
    public int length() {
        return out.size();
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** To throw from a handler, as CommandException does with a text. */
    public CommandException exception() {
        return new CommandException(bytes());
    }
}
