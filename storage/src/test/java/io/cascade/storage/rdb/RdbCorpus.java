package io.cascade.storage.rdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared RDB corpus (../shared/testdata/rdb from the repository root) for the tests: its data files, their
 * expected contents, and the RDB inside each (replication framing stripped). The corpus is never copied into
 * the repository; tests that need it are skipped, with the reason, when it is missing.
 */
final class RdbCorpus {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../../shared/testdata/rdb").normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The RDB of a data file: its bytes and, for framed payloads, how many of them the RDB must take. */
    record Rdb(String name, byte[] bytes, int exactLength, byte[] tail) {
    }

    private RdbCorpus() {
    }

    static void assumePresent() {
        Assumptions.assumeTrue(Files.isDirectory(ROOT), "the RDB corpus is not at " + ROOT + ": skipped");
    }

    /** Every data file (not README, not expected files), as a path relative to the corpus root, sorted. */
    static List<String> dataFiles() throws IOException {
        assumePresent();
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.endsWith(".expected.json") && !n.endsWith(".md")).sorted().toList();
        }
    }

    static JsonNode expected(String name) throws IOException {
        return JSON.readTree(ROOT.resolve(name + ".expected.json").toFile());
    }

    static boolean expectedOk(JsonNode expected) {
        return "ok".equals(expected.path("load").asText());
    }

    /**
     * The RDB part of a file. ".bin" files are full-sync payloads as a replica receives them: "+FULLRESYNC ...\r\n",
     * keep-alive newlines, then "$len\r\n" + exactly len bytes of RDB, or "$EOF:<40 chars>\r\n" + RDB + the same
     * 40 chars. Anything else is read as is (an AOF with an RDB preamble has RESP after the checksum).
     */
    static Rdb rdb(String name) throws IOException {
        byte[] raw = Files.readAllBytes(ROOT.resolve(name));
        if (!name.endsWith(".bin")) {
            return new Rdb(name, raw, -1, new byte[0]);
        }
        int p = indexOf(raw, "\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (p < 0 || raw[0] != '+') {
            throw new IllegalStateException(name + ": no +FULLRESYNC line");
        }
        p += 2;
        while (raw[p] == '\n') {
            p++;
        }
        int eol = indexOf(raw, "\r\n".getBytes(StandardCharsets.US_ASCII), p);
        String bulk = new String(raw, p, eol - p, StandardCharsets.US_ASCII);
        int start = eol + 2;
        if (bulk.startsWith("$EOF:")) {
            byte[] mark = bulk.substring(5).getBytes(StandardCharsets.US_ASCII);
            byte[] end = Arrays.copyOfRange(raw, raw.length - mark.length, raw.length);
            if (mark.length != 40 || !Arrays.equals(mark, end)) {
                throw new IllegalStateException(name + ": EOF marker not at the end");
            }
            byte[] body = Arrays.copyOfRange(raw, start, raw.length);
            return new Rdb(name, body, body.length - 40, mark);
        }
        int len = Integer.parseInt(bulk.substring(1));
        return new Rdb(name, Arrays.copyOfRange(raw, start, start + len), len,
                Arrays.copyOfRange(raw, start + len, raw.length));
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
