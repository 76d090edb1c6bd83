package io.cascade.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands an "include" pattern like glob(3) with no flags: '*', '?' and '[...]' (with '!' or '^' negation) per
 * path component, hidden names only for patterns starting with '.', results sorted. Startup thread.
 */
final class IncludeGlob {
    private IncludeGlob() {
    }

    static boolean hasWildcard(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    /** The existing paths matching the pattern (resolved against base when relative), sorted; empty when none. */
    static List<Path> expand(Path base, String pattern) {
        boolean absolute = pattern.startsWith("/");
        List<Path> current = new ArrayList<>();
        current.add(absolute ? Path.of("/") : base);
        for (String part : pattern.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                if (!hasWildcard(part)) {
                    Path p = dir.resolve(part);
                    if (Files.exists(p)) {
                        next.add(p);
                    }
                    continue;
                }
                byte[] glob = toGlob(part);
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path child : ds) {
                        String name = child.getFileName().toString();
                        if (name.startsWith(".") && !part.startsWith(".")) {
                            continue;
                        }
                        if (Glob.match(glob, name.getBytes(StandardCharsets.UTF_8), false)) {
                            next.add(child);
                        }
                    }
                } catch (IOException e) {
                    // glob(3) skips directories it cannot read
                }
            }
            current = next;
        }
        current.sort(null); // glob(3) sorts the full paths (byte order in the C locale)
        return current;
    }

    /** fnmatch's "[!...]" negation is Redis's "[^...]"; the rest of the syntax is shared. */
    private static byte[] toGlob(String part) {
        return part.replace("[!", "[^").getBytes(StandardCharsets.UTF_8);
    }
}
