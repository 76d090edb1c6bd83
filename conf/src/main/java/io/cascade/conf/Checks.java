package io.cascade.conf;

/**
 * The is_valid_fn checks of config.c, returning Redis's reason text or null. Pure; cfg may be null (defaults).
 */
final class Checks {
    private Checks() {
    }

    /** Redis refuses activedefrag without its bundled jemalloc; Debian's build (and Cascade) has none. */
    static String activeDefrag(Boolean on, Config cfg) {
        return on ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified "
                + "Jemalloc like the one shipped by default with the Redis source distribution" : null;
    }

    static String dbFilename(String v, Config cfg) {
        return isBaseName(v) ? null : "dbfilename can't be a path, just a filename";
    }

    static String aofFilename(String v, Config cfg) {
        if (v.isEmpty()) {
            return "appendfilename can't be empty";
        }
        return isBaseName(v) ? null : "appendfilename can't be a path, just a filename";
    }

    static String aofDirname(String v, Config cfg) {
        if (v.isEmpty()) {
            return "appenddirname can't be empty";
        }
        return isBaseName(v) ? null : "appenddirname can't be a path, just a dirname";
    }

    /** SHUTDOWN_SAVE (1) and SHUTDOWN_NOSAVE (2) exclude each other. */
    static String shutdownFlags(Integer flags, Config cfg) {
        return (flags & 1) != 0 && (flags & 2) != 0 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;
    }

    static String announcedHostname(String v, Config cfg) {
        if (v.length() >= 256) {
            return "Hostnames must be less than 256 characters";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return "Hostnames may only contain alphanumeric characters, hyphens or dots";
            }
        }
        return null;
    }

    /**
     * validateProcTitleTemplate: expanding with an empty title must succeed (known {variables}, "{{" escapes,
     * no unterminated "{") and leave something once spaces are trimmed.
     */
    static String procTitleTemplate(String template, Config cfg) {
        String expanded = expandProcTitle(template, "", cfg);
        if (expanded == null || trimSpaces(expanded).isEmpty()) {
            return "template format is invalid or contains unknown variables";
        }
        return null;
    }

    /** sdstemplate with Redis's proc-title variables; null when malformed or a variable is unknown. */
    static String expandProcTitle(String template, String title, Config cfg) {
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int sv = template.indexOf('{', p);
            if (sv < 0) {
                out.append(template, p, template.length());
                break;
            }
            out.append(template, p, sv);
            sv++;
            if (sv >= template.length()) {
                return null; // premature end
            }
            if (template.charAt(sv) == '{') {
                out.append('{');
                p = sv + 1;
                continue;
            }
            int ev = template.indexOf('}', sv);
            if (ev < 0) {
                return null;
            }
            String value = procTitleVariable(template.substring(sv, ev), title, cfg);
            if (value == null) {
                return null;
            }
            out.append(value);
            p = ev + 1;
        }
        return out.toString();
    }

    private static String procTitleVariable(String name, String title, Config cfg) {
        // Without a Config (while the table's defaults are built) the defaults apply: port 6379, bind "*".
        long port = cfg == null ? 6379 : cfg.getLong("port");
        long tlsPort = cfg == null ? 0 : cfg.getLong("tls-port");
        String unixsocket = cfg == null ? "" : cfg.getString("unixsocket");
        String firstBind = cfg == null || cfg.bind().isEmpty() ? "*" : cfg.bind().get(0);
        return switch (name) {
            case "title" -> title;
            case "listen-addr" -> port != 0 || tlsPort != 0
                    ? firstBind + ":" + (port != 0 ? port : tlsPort)
                    : "unixsocket:" + unixsocket;
            case "server-mode" -> cfg != null && cfg.getBool("cluster-enabled") ? "[cluster]" : "";
            case "config-file" -> cfg == null || cfg.configFile() == null ? "-" : cfg.configFile().toString();
            case "port" -> Long.toString(port);
            case "tls-port" -> Long.toString(tlsPort);
            case "unixsocket" -> unixsocket;
            default -> null;
        };
    }

    /** sdstrim(s, " "): only spaces. */
    private static String trimSpaces(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == ' ') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(b, e);
    }

    /** pathIsBaseName: no '/' and no '\'. */
    static boolean isBaseName(String path) {
        return path.indexOf('/') < 0 && path.indexOf('\\') < 0;
    }
}
