package io.cascade.server.scripting;

/** A script or library refused before it ran, with the error reply's text (code included). Any thread. */
final class ScriptException extends RuntimeException {
    ScriptException(String reply) {
        super(reply, null, false, false);
    }
}
