package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static io.cascade.tests.SeedValues.string;

/**
 * EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX XX GT LT, PERSIST, TTL PTTL EXPIRETIME PEXPIRETIME on redis-server
 * and Cascade side by side. Times far from now or absolute, so that both servers answer the same number.
 */
@ExtendWith(Servers.class)
class ExpireIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();
    /** An absolute time well in the future, in seconds. */
    private static final long FUTURE = System.currentTimeMillis() / 1000 + 100_000;

    @Test
    void setAndReadExpireTimes() throws IOException {
        string(twin, "k", "v");
        twin.same("TTL", "k");
        twin.same("PTTL", "k");
        twin.same("EXPIRETIME", "k");
        twin.same("PEXPIRETIME", "k");
        twin.same("TTL", "nokey");
        twin.same("PEXPIRETIME", "nokey");
        twin.same("EXPIREAT", "k", Long.toString(FUTURE));
        twin.same("EXPIRETIME", "k");
        twin.same("PEXPIRETIME", "k");
        twin.same("TTL", "k");
        twin.same("PEXPIREAT", "k", FUTURE + "123");
        twin.same("EXPIRETIME", "k");
        twin.same("PEXPIRETIME", "k");
        twin.same("EXPIRE", "k", "5000");
        twin.same("TTL", "k");
        twin.same("PEXPIRE", "k", "7000000");
        twin.same("TTL", "k");
        twin.same("PERSIST", "k");
        twin.same("PERSIST", "k");
        twin.same("PERSIST", "nokey");
        twin.same("TTL", "k");
        twin.same("EXPIRE", "nokey", "100");
        SeedValues.sameDigest(twin);
    }

    @Test
    void conditions() throws IOException {
        string(twin, "k", "v");
        twin.same("EXPIRE", "k", "100", "XX");
        twin.same("EXPIRE", "k", "100", "GT");
        twin.same("EXPIRE", "k", "100", "LT");
        twin.same("TTL", "k");
        twin.same("EXPIRE", "k", "200", "NX");
        twin.same("EXPIRE", "k", "300", "NX");
        twin.same("EXPIRE", "k", "100", "GT");
        twin.same("EXPIRE", "k", "1000", "GT");
        twin.same("TTL", "k");
        twin.same("EXPIRE", "k", "2000", "LT");
        twin.same("EXPIRE", "k", "500", "lt");
        twin.same("TTL", "k");
        twin.same("EXPIRE", "k", "600", "XX", "GT");
        twin.same("EXPIRE", "k", "100", "XX", "LT");
        twin.same("TTL", "k");
        twin.same("EXPIRE", "k", "100", "NX", "XX");
        twin.same("EXPIRE", "k", "100", "NX", "GT");
        twin.same("EXPIRE", "k", "100", "NX", "LT");
        twin.same("EXPIRE", "k", "100", "GT", "LT");
        twin.same("EXPIRE", "k", "100", "XX", "XX");
        twin.same("EXPIRE", "k", "100", "BOGUS");
        twin.same("EXPIRE", "k", "100", "nX", "bogus");
        // the options are checked before the number
        twin.same("EXPIRE", "k", "abc", "NX", "XX");
        twin.same("PEXPIREAT", "k", "abc", "BOGUS");
        twin.same("EXPIRE", "nokey", "100", "NX", "XX");
        SeedValues.sameDigest(twin);
    }

    @Test
    void invalidTimesAndOverflow() throws IOException {
        string(twin, "k", "v");
        for (String c : new String[] {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"}) {
            twin.same(c, "k", "abc");
            twin.same(c, "k", "1.5");
            twin.same(c, "k", "9223372036854775807");
            twin.same(c, "k", "9223372036854775808");
            twin.same(c, "k", "-9223372036854775808");
            twin.same(c, "k", "9223372036854775");
            twin.same(c, "nokey", "9223372036854775807");
        }
        twin.same("EXPIRE", "k", "9223372036854775");
        twin.same("EXPIRE", "k", "9223372036854774");
        twin.same("EXPIRETIME", "k");
        twin.same("PEXPIREAT", "k", "9223372036854775807");
        twin.same("PEXPIRETIME", "k");
    }

    @Test
    void timesInThePastDelete() throws IOException {
        for (String c : new String[] {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"}) {
            string(twin, "k", "v");
            twin.same(c, "k", "-1");
            twin.same("EXISTS", "k");
            string(twin, "k", "v");
            twin.same(c, "k", "0");
            twin.same("EXISTS", "k");
        }
        string(twin, "k", "v");
        twin.same("EXPIRE", "k", "-100", "LT");
        twin.same("EXISTS", "k");
        string(twin, "k", "v");
        twin.same("EXPIRE", "k", "-100", "GT");
        twin.same("EXISTS", "k");
        twin.same("EXPIRE", "k", "-100", "LT");
        twin.same("EXISTS", "k");
        SeedValues.sameDigest(twin);
    }

    @Test
    void expiredKeysVanish() throws IOException, InterruptedException {
        string(twin, "a", "1");
        string(twin, "b", "2");
        string(twin, "c", "3");
        twin.same("PEXPIRE", "a", "50");
        twin.same("PEXPIRE", "b", "50");
        twin.same("PEXPIRE", "c", "50");
        Thread.sleep(200);
        twin.same("EXISTS", "a");
        twin.same("TTL", "a");
        twin.same("DEL", "b");
        twin.same("KEYS", "*");
        twin.same("SCAN", "0");
        twin.same("RANDOMKEY");
        twin.same("DBSIZE");
    }
}
