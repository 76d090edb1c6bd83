package io.cascade.server.commands;

import io.cascade.server.command.CommandTable;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The string family's command table (declarations as in Redis 7.0's commands/*.json); the handlers live in
 * StringSetCommands, StringGetCommands, StringEditCommands, CounterCommands, FloatIncrCommands and LcsCommand.
 * Command thread.
 */
public final class StringCommands {
    private static final String EXPIRATION = "EX seconds:integer|PX milliseconds:integer"
            + "|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time";
    private static final String RANGE_COMPLEXITY = "O(N) where N is the length of the returned string. The "
            + "complexity is ultimately determined by the returned length, but because creating a substring from an "
            + "existing string is very cheap, it can be considered O(1) for small strings.";

    private StringCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("set", -3, "write denyoom", StringSetCommands::set).keys(1, 1, 1, "RW access update variable_flags")
                .keyNotes("RW and ACCESS due to the optional `GET` argument").acl("string")
                .doc("Set the string value of a key", "1.0.0", "string", "O(1)",
                        "key:key value:string [NX|XX] [GET] [" + EXPIRATION + "|KEEPTTL]"));
        t.add(cmd("setnx", 3, "write denyoom fast", StringSetCommands::setnx).keys(1, 1, 1, "OW insert").acl("string")
                .doc("Set the value of a key, only if the key does not exist", "1.0.0", "string", "O(1)",
                        "key:key value:string"));
        t.add(cmd("setex", 4, "write denyoom", StringSetCommands::setex).keys(1, 1, 1, "OW update").acl("string")
                .doc("Set the value and expiration of a key", "2.0.0", "string", "O(1)",
                        "key:key seconds:integer value:string"));
        t.add(cmd("psetex", 4, "write denyoom", StringSetCommands::psetex).keys(1, 1, 1, "OW update").acl("string")
                .doc("Set the value and expiration in milliseconds of a key", "2.6.0", "string", "O(1)",
                        "key:key milliseconds:integer value:string"));
        t.add(cmd("getset", 3, "write denyoom fast", StringSetCommands::getset).keys(1, 1, 1, "RW access update")
                .acl("string").doc("Set the string value of a key and return its old value", "1.0.0", "string",
                        "O(1)", "key:key value:string"));
        t.add(cmd("mset", -3, "write denyoom", StringSetCommands::mset).keys(1, -1, 2, "OW update").acl("string")
                .tips("request_policy:multi_shard response_policy:all_succeeded")
                .doc("Set multiple keys to multiple values", "1.0.1", "string",
                        "O(N) where N is the number of keys to set.", "(key:key value:string)..."));
        t.add(cmd("msetnx", -3, "write denyoom", StringSetCommands::msetnx).keys(1, -1, 2, "OW insert").acl("string")
                .tips("request_policy:multi_shard response_policy:agg_min")
                .doc("Set multiple keys to multiple values, only if none of the keys exist", "1.0.1", "string",
                        "O(N) where N is the number of keys to set.", "(key:key value:string)..."));

        t.add(cmd("get", 2, "readonly fast", StringGetCommands::get).keys(1, 1, 1, "RO access").acl("string")
                .doc("Get the value of a key", "1.0.0", "string", "O(1)", "key:key"));
        t.add(cmd("getdel", 2, "write fast", StringGetCommands::getdel).keys(1, 1, 1, "RW access delete").acl("string")
                .doc("Get the value of a key and delete the key", "6.2.0", "string", "O(1)", "key:key"));
        t.add(cmd("getex", -2, "write fast", StringGetCommands::getex).keys(1, 1, 1, "RW access update")
                .keyNotes("RW and UPDATE because it changes the TTL").acl("string")
                .doc("Get the value of a key and optionally set its expiration", "6.2.0", "string", "O(1)",
                        "key:key [" + EXPIRATION + "|PERSIST]"));
        t.add(cmd("mget", -2, "readonly fast", StringGetCommands::mget).keys(1, -1, 1, "RO access").acl("string")
                .tips("request_policy:multi_shard")
                .doc("Get the values of all the given keys", "1.0.0", "string",
                        "O(N) where N is the number of keys to retrieve.", "key:key..."));
        t.add(cmd("strlen", 2, "readonly fast", StringGetCommands::strlen).keys(1, 1, 1, "RO").acl("string")
                .doc("Get the length of the value stored in a key", "2.2.0", "string", "O(1)", "key:key"));
        t.add(cmd("getrange", 4, "readonly", StringGetCommands::getrange).keys(1, 1, 1, "RO access").acl("string")
                .doc("Get a substring of the string stored at a key", "2.4.0", "string", RANGE_COMPLEXITY,
                        "key:key start:integer end:integer"));
        t.add(cmd("substr", 4, "readonly", StringGetCommands::getrange).keys(1, 1, 1, "RO access").acl("string")
                .doc("Get a substring of the string stored at a key", "1.0.0", "string", RANGE_COMPLEXITY,
                        "key:key start:integer end:integer"));

        t.add(cmd("setrange", 4, "write denyoom", StringEditCommands::setrange).keys(1, 1, 1, "RW update")
                .acl("string").doc("Overwrite part of a string at key starting at the specified offset", "2.2.0",
                        "string", "O(1), not counting the time taken to copy the new string in place. Usually, this "
                                + "string is very small so the amortized complexity is O(1). Otherwise, complexity is "
                                + "O(M) with M being the length of the value argument.",
                        "key:key offset:integer value:string"));
        t.add(cmd("append", 3, "write denyoom fast", StringEditCommands::append).keys(1, 1, 1, "RW insert")
                .acl("string").doc("Append a value to a key", "2.0.0", "string", "O(1). The amortized time "
                        + "complexity is O(1) assuming the appended value is small and the already present value is "
                        + "of any size, since the dynamic string library used by Redis will double the free space "
                        + "available on every reallocation.", "key:key value:string"));

        t.add(cmd("incr", 2, "write denyoom fast", CounterCommands::incr).keys(1, 1, 1, "RW access update")
                .acl("string").doc("Increment the integer value of a key by one", "1.0.0", "string", "O(1)", "key:key"));
        t.add(cmd("decr", 2, "write denyoom fast", CounterCommands::decr).keys(1, 1, 1, "RW access update")
                .acl("string").doc("Decrement the integer value of a key by one", "1.0.0", "string", "O(1)", "key:key"));
        t.add(cmd("incrby", 3, "write denyoom fast", CounterCommands::incrby).keys(1, 1, 1, "RW access update")
                .acl("string").doc("Increment the integer value of a key by the given amount", "1.0.0", "string",
                        "O(1)", "key:key increment:integer"));
        t.add(cmd("decrby", 3, "write denyoom fast", CounterCommands::decrby).keys(1, 1, 1, "RW access update")
                .acl("string").doc("Decrement the integer value of a key by the given number", "1.0.0", "string",
                        "O(1)", "key:key decrement:integer"));

        t.add(cmd("lcs", -3, "readonly", LcsCommand::lcs).keys(1, 2, 1, "RO access").acl("string")
                .doc("Find longest common substring", "7.0.0", "string",
                        "O(N*M) where N and M are the lengths of s1 and s2, respectively",
                        "key1:key key2:key [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]"));

        FloatIncrCommands.register(t);
    }
}
