package io.cascade.storage.rdb;

/** The RDB format's numbers (rdb.h of Redis 7.0): object types, length and string encodings. Constants only. */
public final class RdbType {
    /** The RDB version Redis 7.0 writes (DUMP payload footers, RDB file headers). */
    public static final int RDB_VERSION = 10;

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int MODULE = 6;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;
    /**
     * Redis 7.2's stream type (consumers also have an active time). Only RDB 11 files carry it, which 7.0
     * refuses, so isObjectType leaves it out; the value reader still understands it.
     */
    public static final int STREAM_LISTPACKS_3 = 21;
    /** Redis 7.2's listpack set (RDB 11). */
    public static final int SET_LISTPACK = 20;
    /** Redis 7.4 release candidates' hashes with field TTLs: absolute TTLs, no min-expire header. */
    public static final int HASH_METADATA_PRE_GA = 22;
    public static final int HASH_LISTPACK_EX_PRE_GA = 23;
    /** Redis 7.4's hashes with field TTLs (RDB 12): a min-expire header, then pairs or listpack triplets. */
    public static final int HASH_METADATA = 24;
    public static final int HASH_LISTPACK_EX = 25;

    /** The newest RDB version the file reader accepts (Redis 7.4's). */
    public static final int RDB_VERSION_MAX_READ = 12;

    /** File opcodes (rdb.h), in the byte where an object type could be. */
    public static final int OPCODE_SLOT_INFO = 0xf4;
    public static final int OPCODE_FUNCTION2 = 0xf5;
    public static final int OPCODE_FUNCTION_PRE_GA = 0xf6;
    public static final int OPCODE_MODULE_AUX = 0xf7;
    public static final int OPCODE_IDLE = 0xf8;
    public static final int OPCODE_FREQ = 0xf9;
    public static final int OPCODE_AUX = 0xfa;
    public static final int OPCODE_RESIZEDB = 0xfb;
    public static final int OPCODE_EXPIRETIME_MS = 0xfc;
    public static final int OPCODE_EXPIRETIME = 0xfd;
    public static final int OPCODE_SELECTDB = 0xfe;
    public static final int OPCODE_EOF = 0xff;

    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENCVAL = 3;
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    /** quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
    static final int QUICKLIST_PLAIN = 1;
    static final int QUICKLIST_PACKED = 2;

    private RdbType() {
    }

    /** True for the types an RDB file up to version 12 may hold (Redis 7.4's rdbIsObjectType). */
    public static boolean isFileObjectType(int t) {
        return (t >= STRING && t <= MODULE_2) || (t >= HASH_ZIPMAP && t <= HASH_LISTPACK_EX);
    }

    /** True for the types Redis 7.0 can load (whether or not Cascade has the data type yet). */
    public static boolean isObjectType(int t) {
        return (t >= STRING && t <= MODULE_2) || (t >= HASH_ZIPMAP && t <= STREAM_LISTPACKS_2);
    }
}
