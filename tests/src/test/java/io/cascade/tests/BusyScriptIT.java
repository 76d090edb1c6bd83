package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A script running past busy-reply-threshold on redis-server and Cascade: what other clients are told (-BUSY),
 * SCRIPT KILL and FUNCTION KILL (and who may kill what), -UNKILLABLE after a write, and SHUTDOWN NOSAVE.
 */
@ExtendWith(Servers.class)
class BusyScriptIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass("--busy-reply-threshold", "100");

    private static final String LOOP = "local i = 0 while true do i = i + 1 end";

    /** On each server: the caller sends cmd, then once it is busy the other client's commands run in turn. */
    private static List<List<String>> whileBusy(String[] cmd, String[]... others) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (ServerProcess p : List.of(twin.redis, twin.cascade)) {
            List<String> replies = new ArrayList<>();
            try (RawConnection caller = new RawConnection(p.port()); RawConnection other = new RawConnection(p.port())) {
                caller.send(RawConnection.encode(cmd));
                // a later request of the caller waits for the end of its script
                caller.send(RawConnection.encode("PING"));
                awaitBusy(other);
                for (String[] o : others) {
                    replies.add(other.call(o));
                }
                replies.add(caller.readReply());
                replies.add(caller.readReply());
                replies.add(other.call("PING"));
            }
            out.add(replies);
        }
        assertEquals(out.get(0), out.get(1));
        return out;
    }

    private static void awaitBusy(RawConnection c) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.call("PING").startsWith("-BUSY")) {
            assertTrue(System.currentTimeMillis() < deadline, "the server never got busy");
            Thread.sleep(20);
        }
    }

    @Test
    void otherClientsAreToldBusyUntilScriptKill() throws Exception {
        whileBusy(new String[] {"EVAL", LOOP, "0"},
                new String[] {"GET", "x"},
                new String[] {"SET", "x", "y"},
                new String[] {"FUNCTION", "KILL"},
                new String[] {"EVAL", "return 1", "0"},
                new String[] {"SCRIPT", "KILL"});
        twin.same("GET", "x");
    }

    @Test
    void aPcallCannotSwallowTheKill() throws Exception {
        whileBusy(new String[] {"EVAL", "while true do pcall(function() " + LOOP + " end) end", "0"},
                new String[] {"SCRIPT", "KILL"});
    }

    @Test
    void functionsAreKilledWithFunctionKill() throws Exception {
        twin.same("FUNCTION", "LOAD", "REPLACE", "#!lua name=busy\n"
                + "redis.register_function('loop', function() " + LOOP + " end)\n"
                + "redis.register_function{function_name='roloop', callback=function() " + LOOP + " end,"
                + " flags={'no-writes'}}");
        whileBusy(new String[] {"FCALL", "loop", "0"},
                new String[] {"SCRIPT", "KILL"},
                new String[] {"FCALL", "roloop", "0"},
                new String[] {"FUNCTION", "KILL"});
        whileBusy(new String[] {"FCALL_RO", "roloop", "0"},
                new String[] {"FUNCTION", "KILL"});
        twin.same("SCRIPT", "KILL");
        twin.same("FUNCTION", "KILL");
    }

    @Test
    void aScriptThatWroteCannotBeKilledButShutdownNosaveEndsIt() throws Exception {
        try (ServerProcess redis = ServerProcess.redis("--busy-reply-threshold", "100");
             ServerProcess cascade = ServerProcess.cascade("--busy-reply-threshold", "100", "--save", "")) {
            List<List<String>> out = new ArrayList<>();
            for (ServerProcess p : List.of(redis, cascade)) {
                List<String> replies = new ArrayList<>();
                try (RawConnection caller = new RawConnection(p.port());
                     RawConnection other = new RawConnection(p.port())) {
                    caller.send(RawConnection.encode("EVAL", "redis.call('set', 'k', 'v') " + LOOP, "0"));
                    awaitBusy(other);
                    replies.add(other.call("SCRIPT", "KILL"));
                    replies.add(other.call("SHUTDOWN"));
                    other.send(RawConnection.encode("SHUTDOWN", "NOSAVE"));
                    assertTrue(other.closedByServer(), p.kind() + " closed the connection on SHUTDOWN NOSAVE");
                    p.awaitExit(10);
                }
                out.add(replies);
            }
            assertEquals(out.get(0), out.get(1));
        }
    }

}
