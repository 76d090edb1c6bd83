package net.openhft.chronicle.values;

import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The precompiled VanillaGlobalMutableState$$Native in storage's sources is what Chronicle Values would
 * generate (and compile with javac at the first map) for the Chronicle version in use, and Chronicle picks it
 * up. In Chronicle Values' package because its generator is package-private there.
 */
class ChronicleCodegenTest {
    private static final String NAME = "VanillaGlobalMutableState" + ValueModel.$$NATIVE;

    @Test
    void chronicleUsesThePrecompiledClass() throws Exception {
        Class<?> shipped = Class.forName("net.openhft.chronicle.hash." + NAME);
        assertSame(shipped, ValueModel.acquire(VanillaGlobalMutableState.class).nativeClass());
    }

    @Test
    void thePrecompiledSourceIsChroniclesOutput() throws Exception {
        String generated = Generators.generateNativeClass(ValueModel.acquire(VanillaGlobalMutableState.class), NAME);
        Path source = Path.of("src/main/java/net/openhft/chronicle/hash/" + NAME + ".java");
        String shipped = Files.readAllLines(source).stream().filter(l -> !l.startsWith("//"))
                .collect(Collectors.joining("\n"));
        assertEquals(generated.strip(), shipped.strip(),
                "regenerate " + source + " (java -Dchronicle.values.dumpCode=true, then the first map's output)");
    }
}
