package io.cascade.conf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ArgSplitterTest {

    private static List<String> split(String line) {
        List<String> raw = ArgSplitter.split(CStrings.toByteString(line));
        return raw == null ? null : raw.stream().map(CStrings::fromByteString).toList();
    }

    @Test
    void plainWords() {
        assertEquals(List.of("save", "900", "1"), split("save 900 1"));
        assertEquals(List.of("a", "b"), split("  a \t b  "));
        assertEquals(List.of(), split("   "));
    }

    @Test
    void doubleQuotes() {
        assertEquals(List.of("logfile", "/tmp/a b.log"), split("logfile \"/tmp/a b.log\""));
        assertEquals(List.of("x", ""), split("x \"\""));
        assertEquals(List.of("x", "a\nb\rc\td\be\u0007f\\g\"h"), split("x \"a\\nb\\rc\\td\\be\\af\\\\g\\\"h\""));
        assertEquals(List.of("x", "AZ"), split("x \"\\x41\\x5a\""));
        assertEquals(List.of("x", "x4g"), split("x \"\\x4g\"")); // not a hex escape: backslash-x is just x
        assertEquals(List.of("x", "é"), split("x \"\\xc3\\xa9\"")); // bytes decoded as UTF-8 afterwards
        assertEquals(List.of("x", "q"), split("x \"\\q\"")); // unknown escapes give the character
    }

    @Test
    void quoteInsideAWord() {
        // a quote starts quoting even in the middle of a token: a"b c" -> "ab c"
        assertEquals(List.of("ab c"), split("a\"b c\""));
    }

    @Test
    void singleQuotes() {
        assertEquals(List.of("x", "a \\n 'b"), split("x 'a \\n \\'b'"));
        assertEquals(List.of("x", ""), split("x ''"));
    }

    @Test
    void unbalanced() {
        assertNull(split("x \"abc"));
        assertNull(split("x 'abc"));
        assertNull(split("x \"abc\"def"));
        assertNull(split("x 'abc'def"));
        assertNull(split("x \"abc\\"));
    }

    @Test
    void verticalTabIsSkippedBetweenButKeptInside() {
        assertEquals(List.of("a\u000bb"), split("\u000ba\u000bb"));
    }
}
