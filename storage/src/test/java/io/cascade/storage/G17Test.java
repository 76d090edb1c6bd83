package io.cascade.storage;

import io.cascade.storage.types.G17;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * G17 against the C library's own "%.17g" (coreutils printf, which parses each exact decimal value of a double
 * losslessly into a long double and prints it with %.17Lg: the same digits as %.17g of the double). Test thread.
 */
class G17Test {
    @Test
    void matchesTheCLibraryOnRandomDoubles() throws Exception {
        Path printf = Path.of("/usr/bin/printf");
        Assumptions.assumeTrue(Files.isExecutable(printf), "/usr/bin/printf is missing: C comparison skipped");
        SplittableRandom r = new SplittableRandom(7);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            values.add(switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
                case 2 -> (double) r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L) / 1000;
                default -> (double) r.nextInt(-100000, 100000);
            });
        }
        values.removeIf(v -> Double.isNaN(v) || Double.isInfinite(v));
        List<String> cmd = new ArrayList<>(List.of(printf.toString(), "%.17g\\n"));
        for (double v : values) {
            cmd.add(new BigDecimal(v).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n");
        p.waitFor();
        assertEquals(values.size(), lines.length);
        for (int i = 0; i < values.size(); i++) {
            assertEquals(lines[i], G17.format(values.get(i)), "value " + new BigDecimal(values.get(i)));
        }
    }
}
