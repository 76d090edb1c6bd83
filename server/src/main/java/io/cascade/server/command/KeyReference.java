package io.cascade.server.command;

/** One key found in a command's arguments: its index in argv and its access flags (KeyFlags bits). Immutable. */
public record KeyReference(int pos, int flags) {
}
