package io.cascade.server;

import io.cascade.conf.ConfigEntry;
import io.cascade.conf.ConfigTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keeps the startup warning honest: every directive the table counts as implemented (so the warning does not
 * name it) is read somewhere in the main sources outside the table itself, unless it is listed here with the
 * reason it needs no code.
 */
class ImplementedDirectivesTest {
    /** Directives with no observable effect to implement in Cascade. */
    private static final Map<String, String> NO_CODE_NEEDED = Map.of(
            "always-show-logo", "Cascade prints no ASCII logo in any mode",
            "set-proc-title", "the JVM cannot rename its process title",
            "activerehashing", "the off-heap store rehashes incrementally on every access anyway",
            "lazyfree-lazy-eviction", "values are freed by the garbage collector, off the command thread",
            "lazyfree-lazy-server-del", "values are freed by the garbage collector, off the command thread",
            "lazyfree-lazy-user-flush", "FLUSHALL/FLUSHDB close off-heap maps in milliseconds either way");

    @Test
    void everyImplementedDirectiveIsReadByTheCode() throws IOException {
        StringBuilder sources = new StringBuilder();
        for (String module : List.of("conf", "storage", "replication", "server")) {
            Path root = Path.of("..", module, "src", "main", "java");
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("ConfigTable.java"))
                        .forEach(p -> {
                            try {
                                sources.append(Files.readString(p));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
        }
        List<String> unread = new ArrayList<>();
        for (ConfigEntry e : ConfigTable.all()) {
            if (e.has(ConfigEntry.Flag.IMPLEMENTED) && !NO_CODE_NEEDED.containsKey(e.name())
                    && sources.indexOf("\"" + e.name() + "\"") < 0) {
                unread.add(e.name());
            }
        }
        assertEquals(List.of(), unread, "counted as implemented but never read (the startup warning would hide them)");
    }
}
