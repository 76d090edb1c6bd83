package io.cascade.conf;

/** The kinds of value a directive holds; decides parsing, CONFIG GET format and rewrite format. Immutable. */
public enum ConfigType {
    /** yes/no. */
    BOOL,
    /** A whole number with bounds, held in a long. */
    INT,
    /** A byte count accepting units (1k, 1kb, 1m, 1mb, 1g, 1gb); printed as plain bytes. */
    MEMORY,
    /** A byte count or a percentage such as "10%" (maxmemory-clients); a percentage is held as a negative long. */
    MEMORY_PERCENT,
    /** One word (or several, for bit-flag enums like shutdown-on-sigint) out of a fixed list. */
    ENUM,
    /** Free text; some treat the empty string as "not set". */
    STRING,
    /** Custom parsing and formatting: save, bind, client-output-buffer-limit, unixsocketperm (octal), dir, ... */
    SPECIAL
}
