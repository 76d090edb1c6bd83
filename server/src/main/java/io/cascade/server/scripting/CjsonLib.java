package io.cascade.server.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "cjson" library scripts get in Redis (lua-cjson 2.1.0 as Redis ships it, deps/lua/src/lua_cjson.c):
 * encode and decode with their options, cjson.null, cjson.new. Tables are walked with lua_next as the C code
 * walks them, so object keys come out in the same order; every error is worded as there. Each table (the
 * global one and each cjson.new()) has its own settings, kept for the interpreter's life as in Redis.
 * Command thread only.
 */
final class CjsonLib {
    private static final String[] TOKEN_NAMES = {"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END",
        "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR",
        "T_UNKNOWN"};
    private static final int T_OBJ_BEGIN = 0;
    private static final int T_OBJ_END = 1;
    private static final int T_ARR_BEGIN = 2;
    private static final int T_ARR_END = 3;
    private static final int T_STRING = 4;
    private static final int T_NUMBER = 5;
    private static final int T_BOOLEAN = 6;
    private static final int T_NULL = 7;
    private static final int T_COLON = 8;
    private static final int T_COMMA = 9;
    private static final int T_END = 10;
    private static final int T_WHITESPACE = 11;
    private static final int T_ERROR = 12;
    private static final int T_UNKNOWN = 13;
    private static final int[] CH2TOKEN = new int[256];
    private static final byte[] ESCAPE2CHAR = new byte[256];
    private static final String[] CHAR2ESCAPE = new String[256];

    static {
        Arrays.fill(CH2TOKEN, T_ERROR);
        CH2TOKEN['{'] = T_OBJ_BEGIN;
        CH2TOKEN['}'] = T_OBJ_END;
        CH2TOKEN['['] = T_ARR_BEGIN;
        CH2TOKEN[']'] = T_ARR_END;
        CH2TOKEN[','] = T_COMMA;
        CH2TOKEN[':'] = T_COLON;
        CH2TOKEN[0] = T_END;
        for (char c : " \t\n\r".toCharArray()) {
            CH2TOKEN[c] = T_WHITESPACE;
        }
        for (char c : "fiInNt\"+-0123456789".toCharArray()) {
            CH2TOKEN[c] = T_UNKNOWN;
        }
        ESCAPE2CHAR['"'] = '"';
        ESCAPE2CHAR['\\'] = '\\';
        ESCAPE2CHAR['/'] = '/';
        ESCAPE2CHAR['b'] = '\b';
        ESCAPE2CHAR['t'] = '\t';
        ESCAPE2CHAR['n'] = '\n';
        ESCAPE2CHAR['f'] = '\f';
        ESCAPE2CHAR['r'] = '\r';
        ESCAPE2CHAR['u'] = 'u';
        for (int i = 0; i < 32; i++) {
            CHAR2ESCAPE[i] = String.format("\\u%04x", i);
        }
        CHAR2ESCAPE['\b'] = "\\b";
        CHAR2ESCAPE['\t'] = "\\t";
        CHAR2ESCAPE['\n'] = "\\n";
        CHAR2ESCAPE['\f'] = "\\f";
        CHAR2ESCAPE['\r'] = "\\r";
        CHAR2ESCAPE['"'] = "\\\"";
        CHAR2ESCAPE['/'] = "\\/";
        CHAR2ESCAPE['\\'] = "\\\\";
        CHAR2ESCAPE[0x7f] = "\\u007f";
    }

    private final LuaLib lib;
    private final LuaState s;

    // json_config_t
    private int encodeSparseConvert = 0;
    private int encodeSparseRatio = 2;
    private int encodeSparseSafe = 10;
    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private int encodeInvalidNumbers = 0;
    private int decodeInvalidNumbers = 1;
    private int encodeKeepBuffer = 1;
    private int encodeNumberPrecision = 14;

    private CjsonLib(LuaState s) {
        this.s = s;
        this.lib = new LuaLib(s);
    }

    /** Pushes a new cjson table (lua_cjson_new). */
    static void open(LuaState s, long L) {
        new CjsonLib(s).push(L);
    }

    private void push(long L) {
        Map<String, LuaLib.Body> m = new LinkedHashMap<>();
        m.put("encode", this::encode);
        m.put("decode", this::decode);
        m.put("encode_sparse_array", this::encodeSparseArray);
        m.put("encode_max_depth", L1 -> {
            argInit(L1, 1);
            encodeMaxDepth = integerOption(L1, 1, encodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        m.put("decode_max_depth", L1 -> {
            argInit(L1, 1);
            decodeMaxDepth = integerOption(L1, 1, decodeMaxDepth, 1, Integer.MAX_VALUE);
            return 1;
        });
        m.put("encode_number_precision", L1 -> {
            argInit(L1, 1);
            encodeNumberPrecision = integerOption(L1, 1, encodeNumberPrecision, 1, 14);
            return 1;
        });
        m.put("encode_keep_buffer", L1 -> {
            argInit(L1, 1);
            encodeKeepBuffer = enumOption(L1, 1, encodeKeepBuffer, null, 1);
            return 1;
        });
        m.put("encode_invalid_numbers", L1 -> {
            argInit(L1, 1);
            encodeInvalidNumbers = enumOption(L1, 1, encodeInvalidNumbers, new String[] {"off", "on", "null"}, 1);
            return 1;
        });
        m.put("decode_invalid_numbers", L1 -> {
            argInit(L1, 1);
            decodeInvalidNumbers = enumOption(L1, 1, decodeInvalidNumbers, null, 1);
            return 1;
        });
        m.put("new", L1 -> {
            open(s, L1);
            return 1;
        });
        lib.pushTable(L, m, 0);
        s.n.lua_pushlightuserdata(L, 0);
        s.n.lua_setfield(L, -2, "null");
        lib.setString(L, "_NAME", "cjson");
        lib.setString(L, "_VERSION", "2.1.0");
    }

    // ===== configuration =====

    /** json_arg_init: at most args arguments, padded with nils. */
    private void argInit(long L, int args) {
        lib.argCheck(s.n.lua_gettop(L) <= args, args + 1, "found too many arguments");
        while (s.n.lua_gettop(L) < args) {
            s.n.lua_pushnil(L);
        }
    }

    /** json_integer_option: sets from a non-nil argument (its range error always names argument 1). */
    private int integerOption(long L, int idx, int setting, int min, int max) {
        if (s.n.lua_type(L, idx) != LuaState.TNIL) {
            int value = (int) lib.checkInteger(L, idx);
            lib.argCheck(min <= value && value <= max, 1, "expected integer between " + min + " and " + max);
            setting = value;
        }
        s.n.lua_pushinteger(L, setting);
        return setting;
    }

    /** json_enum_option: a boolean or one of the option names ("off", "on" by default). */
    private int enumOption(long L, int idx, int setting, String[] options, int boolTrue) {
        if (options == null) {
            options = new String[] {"off", "on"};
            boolTrue = 1;
        }
        if (s.n.lua_type(L, idx) != LuaState.TNIL) {
            if (boolTrue != 0 && s.n.lua_type(L, idx) == LuaState.TBOOLEAN) {
                setting = s.n.lua_toboolean(L, idx) * boolTrue;
            } else {
                setting = lib.checkOption(L, idx, options);
            }
        }
        if (boolTrue != 0 && (setting == 0 || setting == boolTrue)) {
            s.n.lua_pushboolean(L, setting);
        } else {
            s.n.lua_pushstring(L, options[setting]);
        }
        return setting;
    }

    private int encodeSparseArray(long L) {
        argInit(L, 3);
        encodeSparseConvert = enumOption(L, 1, encodeSparseConvert, null, 1);
        encodeSparseRatio = integerOption(L, 2, encodeSparseRatio, 0, Integer.MAX_VALUE);
        encodeSparseSafe = integerOption(L, 3, encodeSparseSafe, 0, Integer.MAX_VALUE);
        return 3;
    }

    // ===== encoding =====

    private LuaLib.LuaError encodeException(long L, int idx, String reason) {
        return LuaLib.error("Cannot serialise " + s.n.luaL_typename(L, idx) + ": " + reason);
    }

    private int encode(long L) {
        lib.argCheck(s.n.lua_gettop(L) == 1, 1, "expected 1 argument");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        appendData(L, json);
        s.push(L, json.toByteArray());
        return 1;
    }

    private void appendString(long L, ByteArrayOutputStream json, int idx) {
        byte[] str = lib.string(L, idx);
        json.write('"');
        for (byte b : str) {
            String esc = CHAR2ESCAPE[b & 0xff];
            if (esc != null) {
                json.writeBytes(CNumbers.ascii(esc));
            } else {
                json.write(b);
            }
        }
        json.write('"');
    }

    /** lua_array_length: the array's size, or -1 for an object (non positive-integer keys, too sparse). */
    private int arrayLength(long L) {
        var n = s.n;
        int max = 0;
        int items = 0;
        n.lua_pushnil(L);
        while (n.lua_next(L, -2) != 0) {
            double k;
            if (n.lua_type(L, -2) == LuaState.TNUMBER && (k = n.lua_tonumber(L, -2)) != 0) {
                if (Math.floor(k) == k && k >= 1) {
                    if (k > max) {
                        max = CNumbers.toInt32(k);
                    }
                    items++;
                    n.lua_settop(L, -2);
                    continue;
                }
            }
            n.lua_settop(L, -3);
            return -1;
        }
        if (encodeSparseRatio > 0 && max > items * encodeSparseRatio && max > encodeSparseSafe) {
            if (encodeSparseConvert == 0) {
                throw encodeException(L, -1, "excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    private void checkEncodeDepth(long L, int depth) {
        if (depth <= encodeMaxDepth && s.n.lua_checkstack(L, 3) != 0) {
            return;
        }
        throw LuaLib.error("Cannot serialise, excessive nesting (" + depth + ")");
    }

    private void appendNumber(long L, ByteArrayOutputStream json, int idx) {
        double num = s.n.lua_tonumber(L, idx);
        boolean invalid = Double.isInfinite(num) || Double.isNaN(num);
        if (encodeInvalidNumbers == 0) {
            if (invalid) {
                throw encodeException(L, idx, "must not be NaN or Inf");
            }
        } else if (encodeInvalidNumbers == 1) {
            // "nan" whatever its sign, as the C code writes it
            if (Double.isNaN(num)) {
                json.writeBytes(CNumbers.ascii("nan"));
                return;
            }
        } else if (invalid) {
            json.writeBytes(CNumbers.ascii("null"));
            return;
        }
        json.writeBytes(CNumbers.ascii(CNumbers.formatG(num, encodeNumberPrecision)));
    }

    /** A table being written: an array's next index and length, or an object (its lua_next key on the stack). */
    private static final class EncodeFrame {
        final int depth;
        final int length;
        int next = 1;

        EncodeFrame(int depth, int length) {
            this.depth = depth;
            this.length = length;
        }
    }

    private static final int TLIGHTUSERDATA = 2;

    /**
     * json_append_data for the value on top of the stack (left there). The C code recurses into tables; this
     * keeps the open tables in a list instead (the Java stack would end long before the Lua stack does), making
     * the same Lua calls in the same order: lua_rawgeti for arrays, lua_next for objects.
     */
    private void appendData(long L, ByteArrayOutputStream json) {
        var n = s.n;
        ArrayDeque<EncodeFrame> open = new ArrayDeque<>();
        if (!appendValue(L, 0, json, open)) {
            return;
        }
        while (!open.isEmpty()) {
            EncodeFrame f = open.peek();
            boolean element;
            if (f.length > 0) {
                element = f.next <= f.length;
                if (element) {
                    if (f.next > 1) {
                        json.write(',');
                    }
                    n.lua_rawgeti(L, -1, f.next++);
                } else {
                    json.write(']');
                }
            } else {
                element = n.lua_next(L, -2) != 0;
                if (element) {
                    if (f.next++ > 1) {
                        json.write(',');
                    }
                    appendKey(L, json);
                } else {
                    json.write('}');
                }
            }
            if (!element) {
                open.pop();
                if (!open.isEmpty()) {
                    n.lua_settop(L, -2);
                }
            } else if (!appendValue(L, f.depth, json, open)) {
                n.lua_settop(L, -2);
            }
        }
    }

    /** An object's key (at -2 under its value): a number as a quoted number, or a string. */
    private void appendKey(long L, ByteArrayOutputStream json) {
        int keyType = s.n.lua_type(L, -2);
        if (keyType == LuaState.TNUMBER) {
            json.write('"');
            appendNumber(L, json, -2);
            json.write('"');
            json.write(':');
        } else if (keyType == LuaState.TSTRING) {
            appendString(L, json, -2);
            json.write(':');
        } else {
            throw encodeException(L, -2, "table key must be a number or string");
        }
    }

    /** Writes a scalar (false returned), or opens a table (its frame added, true returned). */
    private boolean appendValue(long L, int depth, ByteArrayOutputStream json, ArrayDeque<EncodeFrame> open) {
        var n = s.n;
        switch (n.lua_type(L, -1)) {
            case LuaState.TSTRING -> appendString(L, json, -1);
            case LuaState.TNUMBER -> appendNumber(L, json, -1);
            case LuaState.TBOOLEAN -> json.writeBytes(CNumbers.ascii(n.lua_toboolean(L, -1) != 0 ? "true" : "false"));
            case LuaState.TTABLE -> {
                depth++;
                checkEncodeDepth(L, depth);
                int len = arrayLength(L);
                if (len > 0) {
                    json.write('[');
                    open.push(new EncodeFrame(depth, len));
                } else {
                    json.write('{');
                    n.lua_pushnil(L);
                    open.push(new EncodeFrame(depth, 0));
                }
                return true;
            }
            case LuaState.TNIL -> json.writeBytes(CNumbers.ascii("null"));
            case TLIGHTUSERDATA -> {
                if (n.lua_touserdata(L, -1) != 0) {
                    throw encodeException(L, -1, "type not supported");
                }
                json.writeBytes(CNumbers.ascii("null"));
            }
            default -> throw encodeException(L, -1, "type not supported");
        }
        return false;
    }

    // ===== decoding =====

    /** json_parse_t: the input (a C string: it ends at the first NUL), the cursor, the depth. */
    private static final class Parse {
        final byte[] data;
        int ptr;
        int depth;

        Parse(byte[] data) {
            this.data = LuaLib.cString(data);
        }

        int at(int i) {
            return i < data.length ? data[i] & 0xff : 0;
        }
    }

    /** json_token_t */
    private static final class Token {
        int type;
        int index;
        String error;
        byte[] string;
        double number;
        boolean bool;
    }

    private int decode(long L) {
        lib.argCheck(s.n.lua_gettop(L) == 1, 1, "expected 1 argument");
        byte[] data = lib.checkBytes(L, 1);
        // only the first two characters are checked (RFC 4627, Sec 3)
        if (data.length >= 2 && (data[0] == 0 || data[1] == 0)) {
            throw LuaLib.error("JSON parser does not support UTF-16 or UTF-32");
        }
        Parse json = new Parse(data);
        Token token = new Token();
        nextToken(json, token);
        processValue(L, json, token);
        nextToken(json, token);
        if (token.type != T_END) {
            throw parseError(json, "the end", token);
        }
        return 1;
    }

    private static void tokenError(Token token, Parse json, String error) {
        token.type = T_ERROR;
        token.index = json.ptr;
        token.error = error;
    }

    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        return c >= 'a' && c <= 'f' ? 10 + c - 'a' : -1;
    }

    private static int decodeHex4(Parse json, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexDigit(json.at(at + i));
            if (d < 0) {
                return -1;
            }
            v = (v << 4) + d;
        }
        return v;
    }

    /** json_append_unicode_escape: \\uXXXX (or a surrogate pair) as UTF-8; false when invalid. */
    private static boolean unicodeEscape(Parse json, ByteArrayOutputStream tmp) {
        int escapeLen = 6;
        int codepoint = decodeHex4(json, json.ptr + 2);
        if (codepoint < 0) {
            return false;
        }
        if ((codepoint & 0xF800) == 0xD800) {
            if ((codepoint & 0x400) != 0) {
                return false;
            }
            if (json.at(json.ptr + escapeLen) != '\\' || json.at(json.ptr + escapeLen + 1) != 'u') {
                return false;
            }
            int low = decodeHex4(json, json.ptr + 2 + escapeLen);
            if (low < 0 || (low & 0xFC00) != 0xDC00) {
                return false;
            }
            codepoint = (((codepoint & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            escapeLen = 12;
        }
        if (codepoint <= 0x7F) {
            tmp.write(codepoint);
        } else if (codepoint <= 0x7FF) {
            tmp.write((codepoint >> 6) | 0xC0);
            tmp.write((codepoint & 0x3F) | 0x80);
        } else if (codepoint <= 0xFFFF) {
            tmp.write((codepoint >> 12) | 0xE0);
            tmp.write(((codepoint >> 6) & 0x3F) | 0x80);
            tmp.write((codepoint & 0x3F) | 0x80);
        } else {
            tmp.write((codepoint >> 18) | 0xF0);
            tmp.write(((codepoint >> 12) & 0x3F) | 0x80);
            tmp.write(((codepoint >> 6) & 0x3F) | 0x80);
            tmp.write((codepoint & 0x3F) | 0x80);
        }
        json.ptr += escapeLen;
        return true;
    }

    private static void nextStringToken(Parse json, Token token) {
        json.ptr++;
        ByteArrayOutputStream tmp = new ByteArrayOutputStream();
        int ch;
        while ((ch = json.at(json.ptr)) != '"') {
            if (ch == 0) {
                tokenError(token, json, "unexpected end of string");
                return;
            }
            if (ch == '\\') {
                ch = ESCAPE2CHAR[json.at(json.ptr + 1)] & 0xff;
                if (ch == 'u') {
                    if (unicodeEscape(json, tmp)) {
                        continue;
                    }
                    tokenError(token, json, "invalid unicode escape code");
                    return;
                }
                if (ch == 0) {
                    tokenError(token, json, "invalid escape code");
                    return;
                }
                json.ptr++;
            }
            tmp.write(ch);
            json.ptr++;
        }
        json.ptr++;
        token.type = T_STRING;
        token.string = tmp.toByteArray();
    }

    /** json_is_invalid_number: what strtod takes but strict JSON does not (+, hex, leading zeros, inf, nan). */
    private static boolean invalidNumber(Parse json) {
        int p = json.ptr;
        if (json.at(p) == '+') {
            return true;
        }
        if (json.at(p) == '-') {
            p++;
        }
        if (json.at(p) == '0') {
            int ch2 = json.at(p + 1);
            return (ch2 | 0x20) == 'x' || (ch2 >= '0' && ch2 <= '9');
        }
        // a signed char compared: bytes from 0x80 count as "below '9'"
        if ((byte) json.at(p) <= '9') {
            return false;
        }
        return startsWithIgnoreCase(json, p, "inf") || startsWithIgnoreCase(json, p, "nan");
    }

    private static boolean startsWithIgnoreCase(Parse json, int p, String w) {
        for (int i = 0; i < w.length(); i++) {
            int c = json.at(p + i);
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(Parse json, String w) {
        for (int i = 0; i < w.length(); i++) {
            if (json.at(json.ptr + i) != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void nextNumberToken(Parse json, Token token) {
        token.type = T_NUMBER;
        CNumbers.Parsed p = CNumbers.strtod(json.data, json.ptr);
        if (p.end() == json.ptr) {
            tokenError(token, json, "invalid number");
        } else {
            token.number = p.value();
            json.ptr = p.end();
        }
    }

    private void nextToken(Parse json, Token token) {
        int ch;
        while (true) {
            ch = json.at(json.ptr);
            token.type = CH2TOKEN[ch];
            if (token.type != T_WHITESPACE) {
                break;
            }
            json.ptr++;
        }
        token.index = json.ptr;
        if (token.type == T_ERROR) {
            tokenError(token, json, "invalid token");
            return;
        }
        if (token.type == T_END) {
            return;
        }
        if (token.type != T_UNKNOWN) {
            json.ptr++;
            return;
        }
        if (ch == '"') {
            nextStringToken(json, token);
        } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
            if (decodeInvalidNumbers == 0 && invalidNumber(json)) {
                tokenError(token, json, "invalid number");
                return;
            }
            nextNumberToken(json, token);
        } else if (startsWith(json, "true")) {
            token.type = T_BOOLEAN;
            token.bool = true;
            json.ptr += 4;
        } else if (startsWith(json, "false")) {
            token.type = T_BOOLEAN;
            token.bool = false;
            json.ptr += 5;
        } else if (startsWith(json, "null")) {
            token.type = T_NULL;
            json.ptr += 4;
        } else if (decodeInvalidNumbers != 0 && invalidNumber(json)) {
            nextNumberToken(json, token);
        } else {
            tokenError(token, json, "invalid token");
        }
    }

    private static LuaLib.LuaError parseError(Parse json, String expected, Token token) {
        String found = token.type == T_ERROR ? token.error : TOKEN_NAMES[token.type];
        return LuaLib.error("Expected " + expected + " but found " + found + " at character " + (token.index + 1));
    }

    private void descend(long L, Parse json, int slots) {
        json.depth++;
        if (json.depth <= decodeMaxDepth && s.n.lua_checkstack(L, slots) != 0) {
            return;
        }
        throw LuaLib.error("Found too many nested data structures (" + json.depth + ") at character " + json.ptr);
    }

    /** A table being read: an object, or an array with its next index. */
    private static final class DecodeFrame {
        final boolean object;
        int next = 1;

        DecodeFrame(boolean object) {
            this.object = object;
        }

        int end() {
            return object ? T_OBJ_END : T_ARR_END;
        }
    }

    /**
     * json_process_value for the token, then the rest of the value. The C code recurses into objects and arrays;
     * this keeps the open ones in a list instead (the Java stack would end long before the Lua stack does),
     * making the same Lua calls in the same order (lua_rawset of key and value, lua_rawseti of elements).
     */
    private void processValue(long L, Parse json, Token token) {
        var n = s.n;
        ArrayDeque<DecodeFrame> open = new ArrayDeque<>();
        while (true) {
            DecodeFrame f = beginValue(L, json, token);
            if (f != null) {
                open.push(f);
                nextToken(json, token);
                if (token.type != f.end()) {
                    if (f.object) {
                        objectKey(L, json, token);
                    }
                    continue;
                }
                json.depth--;
                open.pop();
            }
            // a value is complete on top of the stack: into its table, then the next one or the table's end
            while (true) {
                DecodeFrame p = open.peek();
                if (p == null) {
                    return;
                }
                if (p.object) {
                    n.lua_rawset(L, -3);
                } else {
                    n.lua_rawseti(L, -2, p.next++);
                }
                nextToken(json, token);
                if (token.type == p.end()) {
                    json.depth--;
                    open.pop();
                    continue;
                }
                if (token.type != T_COMMA) {
                    throw parseError(json, p.object ? "comma or object end" : "comma or array end", token);
                }
                nextToken(json, token);
                if (p.object) {
                    objectKey(L, json, token);
                }
                break;
            }
        }
    }

    /** An object's key and colon: the key pushed, token left at the value's first token. */
    private void objectKey(long L, Parse json, Token token) {
        if (token.type != T_STRING) {
            throw parseError(json, "object key string", token);
        }
        s.push(L, token.string);
        nextToken(json, token);
        if (token.type != T_COLON) {
            throw parseError(json, "colon", token);
        }
        nextToken(json, token);
    }

    /** Pushes a scalar (null returned), or a new table for { or [ (its frame returned). */
    private DecodeFrame beginValue(long L, Parse json, Token token) {
        var n = s.n;
        switch (token.type) {
            case T_STRING -> s.push(L, token.string);
            case T_NUMBER -> n.lua_pushnumber(L, token.number);
            case T_BOOLEAN -> n.lua_pushboolean(L, token.bool ? 1 : 0);
            // t[k] = nil would delete k: JSON null is the NULL lightuserdata (cjson.null)
            case T_NULL -> n.lua_pushlightuserdata(L, 0);
            case T_OBJ_BEGIN -> {
                descend(L, json, 3);
                n.lua_createtable(L, 0, 0);
                return new DecodeFrame(true);
            }
            case T_ARR_BEGIN -> {
                descend(L, json, 2);
                n.lua_createtable(L, 0, 0);
                return new DecodeFrame(false);
            }
            default -> throw parseError(json, "value", token);
        }
        return null;
    }
}
