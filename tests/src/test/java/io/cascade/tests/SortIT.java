package io.cascade.tests;

import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

import static io.cascade.tests.SeedValues.put;
import static io.cascade.tests.SeedValues.string;

/** SORT and SORT_RO on lists and sets, redis-server and Cascade side by side, every reply compared. */
@ExtendWith(Servers.class)
class SortIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void seed() throws IOException {
        twin.flushAll();
        put(twin, "nums", "RPUSH", "$", "3", "10", "-2", "1.5", "10", "0", "-inf", "7e2");
        put(twin, "words", "RPUSH", "$", "pear", "apple", "Banana", "cherry", "apple", "10", "2");
        put(twin, "ids", "RPUSH", "$", "1", "2", "3", "4");
        put(twin, "iset", "SADD", "$", "5", "1", "3", "100", "-7");
        put(twin, "sset", "SADD", "$", "b", "a", "c");
        string(twin, "w_1", "40");
        string(twin, "w_2", "10");
        string(twin, "w_3", "30");
        string(twin, "w_4", "abc");
        string(twin, "n_1", "one");
        string(twin, "n_2", "two");
        string(twin, "n_4", "four");
        put(twin, "h_1", "HSET", "$", "w", "3", "name", "ONE");
        put(twin, "h_2", "HSET", "$", "w", "1", "name", "TWO");
        put(twin, "h_3", "HSET", "$", "w", "2");
        put(twin, "a_1", "SET", "$", "zeta");
        put(twin, "a_3", "SET", "$", "alpha");
    }

    @Test
    void numericAndAlpha() throws IOException {
        twin.same("SORT", "nums");
        twin.same("SORT", "nums", "DESC");
        twin.same("SORT", "words");
        twin.same("SORT", "words", "ALPHA");
        twin.same("SORT", "words", "ALPHA", "DESC");
        twin.same("SORT", "iset");
        twin.same("SORT", "iset", "DESC");
        twin.same("SORT", "sset", "ALPHA");
        twin.same("SORT", "sset");
        twin.same("SORT", "nokey");
        twin.same("SORT", "w_1");
        twin.same("SORT_RO", "nums", "ASC");
        twin.same("SORT", "nums", "asc", "desc");
        twin.same("SORT", "ids", "DESC", "ASC");
    }

    @Test
    void limit() throws IOException {
        for (String[] l : new String[][] {{"0", "3"}, {"2", "2"}, {"-5", "2"}, {"1", "-1"}, {"5", "100"}, {"100", "2"},
                {"0", "0"}, {"3", "-10"}}) {
            twin.same("SORT", "nums", "LIMIT", l[0], l[1]);
            twin.same("SORT", "ids", "BY", "nosort", "LIMIT", l[0], l[1]);
            twin.same("SORT", "ids", "BY", "nosort", "DESC", "LIMIT", l[0], l[1]);
            twin.same("SORT", "words", "ALPHA", "LIMIT", l[0], l[1]);
        }
        twin.same("SORT", "nums", "LIMIT", "x", "1");
        twin.same("SORT", "nums", "LIMIT", "1");
        twin.same("SORT", "nums", "LIMIT", "1", "1.5");
    }

    @Test
    void byAndGetPatterns() throws IOException {
        twin.same("SORT", "ids", "BY", "w_*");
        twin.same("SORT", "ids", "BY", "w_*", "DESC");
        twin.same("SORT", "ids", "BY", "w_*", "ALPHA");
        twin.same("SORT", "ids", "BY", "n_*", "ALPHA");
        twin.same("SORT", "ids", "BY", "h_*->w");
        twin.same("SORT", "ids", "BY", "h_*->w", "GET", "#", "GET", "h_*->name", "GET", "n_*");
        twin.same("SORT", "ids", "BY", "nosuch_*");
        twin.same("SORT", "ids", "BY", "nosuch_*", "ALPHA");
        twin.same("SORT", "ids", "BY", "nosort", "GET", "n_*");
        twin.same("SORT", "ids", "GET", "n_*", "GET", "#", "GET", "nostar");
        twin.same("SORT", "ids", "GET", "h_*->", "GET", "h_*->nosuch", "GET", "w_*->w");
        twin.same("SORT", "ids", "BY", "w_*", "LIMIT", "1", "2", "GET", "n_*");
        twin.same("SORT", "iset", "BY", "nosort");
        twin.same("SORT", "iset", "BY", "w_*", "GET", "#");
        twin.same("SORT", "ids", "BY", "a_*", "ALPHA", "GET", "a_*");
        // BY nosort on a hashtable set answers in hash-table order, which Redis seeds at random: only the shape
        // and membership can be compared (with STORE, Redis sorts, so that one is compared exactly)
        for (ServerProcess server : new ServerProcess[] {twin.redis,
                twin.cascade}) {
            String first = server.cli("SORT", "sset", "BY", "nosort", "ALPHA", "LIMIT", "0", "1").trim();
            org.junit.jupiter.api.Assertions.assertTrue(List.of("a", "b", "c").contains(first),
                    server.kind() + " answered " + first);
        }
        twin.same("SORT", "sset", "BY", "nosort", "STORE", "dst");
        twin.same("DUMP", "dst");
        try (Twin.Session s = twin.session()) {
            s.redis.call("HELLO", "3");
            s.cascade.call("HELLO", "3");
            s.same("SORT", "ids", "GET", "n_*");
        }
    }

    @Test
    void store() throws IOException {
        twin.same("SORT", "nums", "STORE", "dst");
        twin.same("DUMP", "dst");
        twin.same("SORT", "ids", "BY", "w_*", "GET", "n_*", "STORE", "dst");
        twin.same("DUMP", "dst");
        twin.same("EXPIRE", "dst", "1000");
        twin.same("SORT", "words", "ALPHA", "STORE", "dst");
        twin.same("TTL", "dst");
        twin.same("SORT", "nokey", "STORE", "dst");
        twin.same("EXISTS", "dst");
        twin.same("SORT", "iset", "STORE", "iset");
        twin.same("TYPE", "iset");
        twin.same("SORT_RO", "nums", "STORE", "dst");
        twin.same("SORT", "nums", "STORE");
        SeedValues.sameDigest(twin);
    }

    @Test
    void errors() throws IOException {
        twin.same("SORT", "words");
        twin.same("SORT", "ids", "BY", "w_*");
        twin.same("SORT", "ids", "BY", "w_*", "ALPHA");
        twin.same("SORT", "h_1");
        twin.same("SORT", "nums", "BOGUS");
        twin.same("SORT", "nums", "GET");
        twin.same("SORT", "nums", "BY");
        twin.same("SORT", "nums", "ALPHA", "BOGUS", "LIMIT", "x", "y");
        twin.same("SORT", "h_1", "BOGUS");
        twin.same("SORT", "h_1", "LIMIT", "x", "1");
        twin.same("SORT", "nums", "LIMIT", "x", "1", "BOGUS");
        string(twin, "bad", "1e400");
        twin.same("SORT", "ids", "BY", "bad");
        for (String w : new String[] {"1e400", "1e-400", "nan", " 5", "5 ", "0x1A", "0x", "1e", ".", "-.5", "+3",
                "inf", "-Infinity", "", "4.9e-324", "1e-310", "0.0", "0e-999"}) {
            string(twin, "w_4", w);
            twin.same("SORT", "ids", "BY", "w_*");
        }
    }
}
