package io.cascade.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command line (redis-cli, the launcher) and returns its output. Test thread. */
public final class Cli {
    private Cli() {
    }

    /** Runs the command with optional standard input; returns stdout+stderr without the trailing newline. */
    public static String run(List<String> command, String stdin) throws IOException {
        Result r = exec(command, stdin, 60);
        return r.output();
    }

    public record Result(int exitCode, String output) {
    }

    public static Result exec(List<String> command, String stdin, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return new Result(p.exitValue(), s);
    }
}
