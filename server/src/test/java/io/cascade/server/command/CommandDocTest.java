package io.cascade.server.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandDocTest {
    private static List<CommandDoc.Arg> args(String s) {
        return CommandDoc.of("", "", "server", "", s).arguments();
    }

    @Test
    void simpleOptionalAndRepeatedArguments() {
        List<CommandDoc.Arg> a = args("key:key [message:string] field:string...");
        assertEquals(3, a.size());
        assertEquals(new CommandDoc.Arg("key", "key", null, false, false, List.of()), a.get(0));
        assertTrue(a.get(1).optional());
        assertTrue(a.get(2).multiple());
        assertFalse(a.get(2).optional());
    }

    @Test
    void tokensOneofAndBlocks() {
        List<CommandDoc.Arg> a = args("[NX|XX] [EX seconds:integer|KEEPTTL] (parameter:string value:string)...");
        CommandDoc.Arg cond = a.get(0);
        assertEquals("oneof", cond.type());
        assertTrue(cond.optional());
        assertEquals(List.of(new CommandDoc.Arg("nx", "pure-token", "NX", false, false, List.of()),
                new CommandDoc.Arg("xx", "pure-token", "XX", false, false, List.of())), cond.children());
        CommandDoc.Arg expiry = a.get(1);
        assertEquals(new CommandDoc.Arg("seconds", "integer", "EX", false, false, List.of()), expiry.children().get(0));
        CommandDoc.Arg pairs = a.get(2);
        assertEquals("block", pairs.type());
        assertTrue(pairs.multiple());
        assertEquals(2, pairs.children().size());
    }

    @Test
    void malformedSyntaxIsRejectedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> args("[unclosed:string"));
        assertThrows(IllegalArgumentException.class, () -> args("a:string ]"));
    }
}
