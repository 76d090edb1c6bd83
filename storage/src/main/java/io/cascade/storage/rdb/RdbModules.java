package io.cascade.storage.rdb;

/**
 * Module data in RDB files, which Cascade (without modules) skips: the 64-bit module type id (9 characters of
 * 6 bits, then a 10-bit encoding version, as moduleTypeNameByID decodes it) and the self-describing opcode
 * stream of MODULE_2 values and MODULE_AUX records (as redis-check-rdb's rdbLoadCheckModuleValue walks it).
 * Pure functions over a reader.
 */
public final class RdbModules {
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final int OPCODE_EOF = 0;
    static final int OPCODE_SINT = 1;
    static final int OPCODE_UINT = 2;
    static final int OPCODE_FLOAT = 3;
    static final int OPCODE_DOUBLE = 4;
    static final int OPCODE_STRING = 5;

    private RdbModules() {
    }

    /** The module type name of an id ("test__rdb"). */
    public static String name(long moduleId) {
        char[] name = new char[9];
        long id = moduleId >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = CHARSET.charAt((int) (id & 63));
            id >>>= 6;
        }
        return new String(name);
    }

    /** The encoding version in the id's low 10 bits. */
    public static int encver(long moduleId) {
        return (int) (moduleId & 1023);
    }

    /** Skips an opcode stream up to and including its EOF opcode. */
    static void skipValue(RdbValueReader r, String module) {
        while (true) {
            long at = r.input().position();
            long opcode = r.readLenUnsigned();
            switch ((int) Math.min(opcode, Integer.MAX_VALUE)) {
                case OPCODE_EOF:
                    return;
                case OPCODE_SINT:
                case OPCODE_UINT:
                    r.readLenUnsigned();
                    break;
                case OPCODE_FLOAT:
                    r.input().skip(4, "a module float");
                    break;
                case OPCODE_DOUBLE:
                    r.input().skip(8, "a module double");
                    break;
                case OPCODE_STRING:
                    r.readString();
                    break;
                default:
                    throw new RdbFormatException("Unknown module opcode " + Long.toUnsignedString(opcode)
                            + " in the data of module '" + module + "' at offset " + at);
            }
        }
    }
}
