package io.cascade.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Cascade's own version, filtered into the jar by Maven. Read once at class load. */
final class Version {
    private Version() {
    }

    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/cascade-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "0.0.0");
        } catch (IOException e) {
            return "0.0.0";
        }
    }
}
