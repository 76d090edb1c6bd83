package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cjson, cmsgpack and struct libraries of Redis's scripts on redis-server and Cascade side by side: the same
 * EVAL (and FCALL) scripts, replies compared byte for byte (one char per byte) in RESP2 and RESP3, including
 * every error text.
 */
@ExtendWith(Servers.class)
class LuaLibsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    /** Every byte value, 0x00 to 0xff, as one char each (sent as bytes by callBinary). */
    private static final String ALL_BYTES;

    static {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            b.append((char) i);
        }
        ALL_BYTES = b.toString();
    }

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("SCRIPT", "FLUSH");
        twin.same("FUNCTION", "FLUSH");
    }

    /** Each command on both servers in RESP2, then in RESP3, binary safe; returns Redis's replies. */
    private static List<String> both(String[]... commands) throws IOException {
        List<String> replies = new ArrayList<>();
        for (int resp : new int[] {2, 3}) {
            try (RawConnection redis = new RawConnection(twin.redis.port());
                 RawConnection cascade = new RawConnection(twin.cascade.port())) {
                redis.call("HELLO", Integer.toString(resp));
                cascade.call("HELLO", Integer.toString(resp));
                for (String[] c : commands) {
                    String expected = redis.callBinary(c);
                    String actual = cascade.callBinary(c);
                    assertEquals(expected, actual, "RESP" + resp + " reply to " + String.join(" ", c));
                    replies.add(expected);
                }
            }
        }
        return replies;
    }

    private static String[] eval(String script, String... args) {
        String[] out = new String[args.length + 3];
        out[0] = "EVAL";
        out[1] = script;
        out[2] = "0";
        System.arraycopy(args, 0, out, 3, args.length);
        return out;
    }

    /** The script's result under pcall, as {ok, value-or-error}: errors without the sha and place suffix. */
    private static String[] pcall(String expression) {
        return eval("return {pcall(function() return " + expression + " end)}");
    }

    private static String[][] evals(String... scripts) {
        String[][] out = new String[scripts.length][];
        for (int i = 0; i < scripts.length; i++) {
            out[i] = eval(scripts[i]);
        }
        return out;
    }

    @Test
    void cjsonEncodesValuesAndTablesInLuaTraversalOrder() throws IOException {
        List<String> r = both(evals(
                "return cjson.encode({1, 2, 3, {a = 1, b = 'x'}})",
                "return cjson.encode({a = 1, b = 2, c = 3, d = {}, e = 'text', f = {1, {g = true}}, h = false})",
                "local t = {} for i = 1, 40 do t['key' .. i] = i end return cjson.encode(t)",
                "return cjson.encode({[1] = 1, [2] = 2, x = 1})",
                "return cjson.encode({['1'] = 'string key', [1] = 'number key'})",
                "return cjson.encode({[1.5] = 'a', [-1] = 'b', [0] = 'c'})",
                "return cjson.encode('plain')",
                "return cjson.encode(12)",
                "return cjson.encode(true)",
                "return cjson.encode(nil)",
                "return cjson.encode(cjson.null)",
                "return cjson.encode({})",
                "return cjson.encode({{}, {{}}, {[1] = {}}})",
                "return cjson.encode({1, 2, nil, 4})",
                "return cjson.encode({[1] = 1, [3] = 3})",
                "return cjson.encode({[1] = 1, [11] = 11})",
                "return cjson.encode({[20] = 1})",
                "return cjson.encode({[10] = 1})",
                "return cjson.encode('\\0\\1\\8\\9\\10\\12\\13\\31 \"/\\\\\\127\\128\\255')",
                "return cjson.encode(redis.sha1hex('x'))"));
        // a plain table's keys are in Lua's order, not sorted: a sorted output would not be Redis's
        assertTrue(r.get(1).contains("\"c\":3"), r.get(1));
    }

    @Test
    void cjsonEncodeErrors() throws IOException {
        both(evals(
                "return cjson.encode(function() end)",
                "return cjson.encode({f = function() end})",
                "return cjson.encode({[true] = 1})",
                "return cjson.encode({[{}] = 1})",
                "return cjson.encode(1/0)",
                "return cjson.encode({-1/0})",
                "return cjson.encode({[1] = 0/0})",
                "return cjson.encode({1, 2, [1000] = 3})",
                "return cjson.encode()",
                "return cjson.encode(1, 2)",
                "local t = {} t[1] = t return cjson.encode(t)",
                "local t = {} t.a = t return cjson.encode(t)",
                "return cjson.encode(coroutine.create(function() end))"));
        both(pcall("cjson.encode(function() end)"), pcall("cjson.encode()"),
                eval("local f = cjson.encode return {pcall(f)}"),
                eval("local t = {} t.f = cjson.encode return {pcall(function() return t:f() end)}"),
                eval("local t = {} t.f = cjson.encode return {pcall(function() return t:f(1) end)}"));
    }

    @Test
    void cjsonNumbers() throws IOException {
        both(evals(
                "return cjson.encode({0, -0.0, 1, -1, 0.1, 1/3, 2/3, 1e14, 1e15, 1e16, 123456789012345678})",
                "return cjson.encode({2^53, 2^53 + 1, 2^63, -2^63, 2^64, 1e300, 1e-300, 5e-324, 1.7976931348623157e308})",
                "return cjson.encode({0.5, 1.5, 2.5, 0.125, 1e-5, 1e-4, 0.00012345678901234, 99999999999999.5})",
                "return cjson.encode({[2^53] = 1, [0.5] = 2, [-3] = 3})",
                "return {cjson.encode_number_precision(), cjson.encode_number_precision(1), cjson.encode({1/3, 12345,"
                        + " 0.05, 9.5}), cjson.encode_number_precision(6), cjson.encode({1/3, 1234567, 1e-7}),"
                        + " cjson.encode_number_precision(14), cjson.encode({1/3})}",
                "return {pcall(cjson.encode_number_precision, 0)}",
                "return {pcall(cjson.encode_number_precision, 15)}",
                "return {pcall(cjson.encode_number_precision, 'x')}",
                "return {pcall(cjson.encode_number_precision, '3')}",
                "local r = {cjson.encode_invalid_numbers(true), cjson.encode({1/0, -1/0, 0/0, -(0/0)}),"
                        + " cjson.encode_invalid_numbers('null'), cjson.encode({1/0, -1/0, 0/0}),"
                        + " cjson.encode_invalid_numbers('off'), pcall(cjson.encode, {0/0})} return r",
                "return {pcall(cjson.encode_invalid_numbers, 'maybe')}",
                "return {pcall(cjson.encode_invalid_numbers, 1)}",
                "return cjson.encode(cjson.decode('[1e400, -1e400, 0x10, 0X1F, +5, 007, 1.5e-3, 1E2, -0, 0.0]'))"
                        + " ~= nil",
                "cjson.encode_invalid_numbers(true) local r = cjson.encode(cjson.decode("
                        + "'[1e400, -Infinity, inf, NaN, -nan, nan(123), 0x10, 0x1.8p3, +5, 007, 1.5e-3, 1E2, -0]'))"
                        + " cjson.encode_invalid_numbers(false) return r",
                "local t = cjson.decode('[9007199254740993, 1e-400, 123.456e-2, 1.e3, 2.]') return {t[1] == 2^53,"
                        + " cjson.encode(t)}"));
    }

    /** Many generated numbers (a fixed LCG, not math.random) through %.Ng, strtod, msgpack and struct. */
    @Test
    void generatedNumbersConvertAsInC() throws IOException {
        // the LCG's high bits (its low ones repeat with short periods)
        String gen = "local x = 12345 local function rnd(m) x = (x * 1103515245 + 12345) % 2147483648"
                + " return math.floor(x / 65536) % m end"
                + " local nums = {} for i = 1, 1500 do local v = (rnd(32768) * 32768 + rnd(32768) + 1) / (rnd(32768) + 1)"
                + " * 10 ^ (rnd(80) - 40) if rnd(2) == 1 then v = -v end nums[i] = v end"
                + " for i = 1, 200 do nums[#nums + 1] = (rnd(32768) * 32768 + rnd(32768)) * 2 ^ rnd(40) end ";
        both(evals(
                gen + "return cjson.encode(nums)",
                gen + "local out = {} for p = 1, 14 do cjson.encode_number_precision(p) out[p] = cjson.encode(nums)"
                        + " end cjson.encode_number_precision(14) return out",
                gen + "local t = {} for i, v in ipairs(nums) do t[i] = string.format('%.17g', v) end"
                        + " return cjson.encode(cjson.decode('[' .. table.concat(t, ',') .. ']'))",
                gen + "local t = {} for i, v in ipairs(nums) do t[i] = string.format('%.17g', v) end"
                        + " local d = cjson.decode('[' .. table.concat(t, ',') .. ']') local same = 0"
                        + " for i, v in ipairs(d) do if v == nums[i] then same = same + 1 end end return same",
                gen + "return cmsgpack.pack(nums)",
                gen + "return {cmsgpack.unpack(cmsgpack.pack(unpack(nums, 1, 500)))}",
                gen + "local out = {} for i, v in ipairs(nums) do out[i] = struct.pack('<lLi3>I5dfb', v, v, v, v, v, v,"
                        + " v) end return table.concat(out)",
                "return cjson.encode({cjson.decode('0x1p-1074'), cjson.decode('0x.8'), cjson.decode('-0x10'),"
                        + " cjson.decode('0xAbC.dEp+2'), cjson.decode('0x1.fffffffffffffp1023'),"
                        + " cjson.decode('0x123456789abcdef123'), cjson.decode('0x1p-99999999999'),"
                        + " cjson.decode('1e-99999999999'), cjson.decode('2.2250738585072011e-308'),"
                        + " cjson.decode('0.1000000000000000055511151231257827021181583404541015625')})"));
    }

    @Test
    void cjsonDecodes() throws IOException {
        both(evals(
                "local t = cjson.decode('[1,2,{\"a\":[true,false,null]}]') return {t[1], t[2], t[3].a[1],"
                        + " t[3].a[2], t[3].a[3] == cjson.null, #t[3].a}",
                "return cjson.encode(cjson.decode('{\"a\":[1,2,{\"b\":{}},[]],\"c\":{\"d\":null,\"e\":[[[]]]},"
                        + " \"f\": \"g\"}'))",
                "return cjson.decode('\"text\"')",
                "return cjson.decode(' \\t\\r\\n 12 \\n')",
                "return cjson.decode('true')",
                "return type(cjson.decode('null'))",
                "return cjson.decode(123)",
                "return cjson.decode('[1]\\0garbage')[1]",
                "return cjson.decode('\"a\\\\\"b\\\\\\\\c\\\\/d\\\\be\\\\ff\\\\ng\\\\rh\\\\ti\"')",
                "return cjson.decode('\"\\\\u00e9\\\\u20ac\\\\ud83d\\\\ude00\\\\u0000x\\\\u0041\\\\u00FF\"')",
                "return cjson.encode(cjson.decode('[\"\\\\u00e9\", \"\\195\\169\", \"\\255\"]'))",
                "return cjson.decode('{\"\\\\u0000\":1}')['\\0']",
                "return cjson.encode(cjson.decode('{\"a\":1,\"a\":2}'))"));
    }

    @Test
    void cjsonDecodeErrors() throws IOException {
        String[] bad = {"x", "", "   ", "[1,2", "[1 2]", "[1,]", "[,1]", "{\"a\" 1}", "{1:1}", "{\"a\":1,}",
            "{\"a\":1 \"b\":2}", "{\"a\":[1,2,}", "\"abc", "\"a\\\\qb\"", "\"\\\\u12\"", "\"\\\\ud83d\"",
            "\"\\\\ud83d\\\\u0041\"", "\"\\\\ude00\"", "\"\\\\uzzzz\"", "tru", "nul", "fals", "[1]x", "1 2", "-",
            "-x", "+", "0x", "1e", ".5", "[Infinity]", "[nan]", "\\0[]", "[\\0]", "\"a\\0b\"", "{\"a\"", "{\"a\":",
            "]", "}", ":", ","};
        List<String[]> commands = new ArrayList<>();
        for (String json : bad) {
            commands.add(eval("return {pcall(cjson.decode, '" + json + "')}"));
        }
        commands.add(eval("return cjson.decode('{')"));
        commands.add(eval("return cjson.decode()"));
        commands.add(eval("return cjson.decode('1', '2')"));
        commands.add(eval("return cjson.decode({})"));
        commands.add(eval("return {pcall(cjson.decode, 'a\\0')}"));
        commands.add(eval("cjson.decode_invalid_numbers(false) local r = {pcall(cjson.decode, '[0x10]'),"
                + " pcall(cjson.decode, '[+1]'), pcall(cjson.decode, '[007]'), pcall(cjson.decode, '[-Inf]'),"
                + " pcall(cjson.decode, 'nan'), pcall(cjson.decode, '[-0]'), pcall(cjson.decode, '[0.5]')}"
                + " cjson.decode_invalid_numbers(true) return r"));
        both(commands.toArray(new String[0][]));
    }

    @Test
    void cjsonNestingLimits() throws IOException {
        both(evals(
                "return {pcall(cjson.decode, string.rep('[', 1000) .. string.rep(']', 1000))}",
                "return {pcall(cjson.decode, string.rep('[', 1001) .. string.rep(']', 1001))}",
                "return {pcall(cjson.decode, string.rep('{\"a\":', 1001) .. '1' .. string.rep('}', 1001))}",
                "return {cjson.decode_max_depth(), cjson.decode_max_depth(3), pcall(cjson.decode, '[[[[1]]]]'),"
                        + " cjson.decode_max_depth(1000)}",
                "return {pcall(cjson.decode_max_depth, 0)}",
                "return {cjson.encode_max_depth(), cjson.encode_max_depth(2), pcall(cjson.encode, {{{1}}}),"
                        + " pcall(cjson.encode, {{1}}), cjson.encode_max_depth(1000)}",
                "cjson.decode_max_depth(100000) local r = {pcall(cjson.decode, string.rep('[', 6000) .."
                        + " string.rep(']', 6000))} cjson.decode_max_depth(1000) return {r[1], type(r[2])}",
                "cjson.decode_max_depth(100000) local r = {pcall(cjson.decode, string.rep('[', 9000) .."
                        + " string.rep(']', 9000))} cjson.decode_max_depth(1000) return r",
                "cjson.decode_max_depth(100000) local r = {pcall(cjson.decode, string.rep('{\"a\":', 5000) .."
                        + " string.rep('}', 5000))} cjson.decode_max_depth(1000) return r",
                "cjson.encode_max_depth(100000) local t = {} local x = t for i = 1, 9000 do x[1] = {} x = x[1] end"
                        + " local r = {pcall(cjson.encode, t)} cjson.encode_max_depth(1000) return r",
                "cjson.encode_max_depth(100000) local t = {} local x = t for i = 1, 9000 do x.a = {} x = x.a end"
                        + " local r = {pcall(cjson.encode, t)} cjson.encode_max_depth(1000) return r",
                "cjson.encode_max_depth(100000) local t = {} local x = t for i = 1, 3000 do x[1] = {} x = x[1] end"
                        + " local r = {pcall(cjson.encode, t)} cjson.encode_max_depth(1000) return r"));
    }

    @Test
    void cjsonOptions() throws IOException {
        both(evals(
                "return {cjson.encode_sparse_array()}",
                "return {cjson.encode_sparse_array(true, 3, 5), cjson.encode({[1] = 1, [20] = 2}),"
                        + " cjson.encode_sparse_array(false, 2, 10)}",
                "return {cjson.encode_sparse_array(nil, 0), cjson.encode({[1] = 1, [50] = 2}),"
                        + " cjson.encode_sparse_array(nil, 2)}",
                "return {pcall(cjson.encode_sparse_array, 'on', -1)}",
                "return {pcall(cjson.encode_sparse_array, 'on', 1, 2, 3)}",
                "return {pcall(cjson.encode_sparse_array, 'sure')}",
                "return {cjson.encode_keep_buffer(), cjson.encode_keep_buffer(false), cjson.encode({1}),"
                        + " cjson.encode_keep_buffer('on'), cjson.encode({2})}",
                "return {pcall(cjson.encode_keep_buffer, 'xyz')}",
                "return {pcall(cjson.encode_keep_buffer, 'o\\0n')}",
                "return {cjson.decode_invalid_numbers(), cjson.decode_invalid_numbers('off'),"
                        + " cjson.decode_invalid_numbers(true)}",
                "return {pcall(cjson.encode_max_depth, 1, 2)}",
                "return {pcall(cjson.encode_max_depth, {})}",
                "return {cjson._NAME, cjson._VERSION, type(cjson.null), type(cjson.new)}",
                "local j = cjson.new() j.x = 1 j.encode_number_precision(2) return {j.encode({1/3}),"
                        + " cjson.encode({1/3}), j._NAME, j.x}",
                "local t = {} for k in pairs(cjson.new()) do t[#t + 1] = k end return t",
                "local j = cjson.new() j.a = 1 j.b = 2 local t = {} for k in pairs(j) do t[#t + 1] = k end return t",
                "cjson.encode = nil",
                "cjson.extra = 1",
                "return {pcall(rawset, cjson, 'a', 1)}"));
    }

    /** Settings stay for the interpreter's life, as in Redis, and SCRIPT FLUSH starts a new one. */
    @Test
    void cjsonSettingsLastUntilScriptFlush() throws IOException {
        both(eval("cjson.encode_number_precision(3) return 1"),
                eval("return cjson.encode({1/3})"),
                new String[] {"SCRIPT", "FLUSH"},
                eval("return cjson.encode({1/3})"));
    }

    @Test
    void cmsgpackPacksAsTheCCode() throws IOException {
        both(evals(
                "return cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 2^32 - 1, 2^32, 2^53, 2^63 - 1024)",
                "return cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31 - 1, -2^53, -2^63)",
                "return cmsgpack.pack(0.5, 0.1, 1.5, -2.25, 3.4e38, 1e300, 2^63, 2^64, 1/0, -1/0, 0/0, -0.0)",
                "return cmsgpack.pack(true, false, nil, redis.call, 'abc', '')",
                "return cmsgpack.pack(string.rep('x', 31), string.rep('x', 32), string.rep('y', 255),"
                        + " string.rep('z', 256), string.rep('w', 65535), string.rep('v', 65536))",
                "return cmsgpack.pack({1, 2, 3}, {}, {1, 2, nil, 4}, {[1] = 1, [3] = 3}, {[2] = 2}, {a = 1},"
                        + " {[1.5] = 1}, {[-1] = 2}, {[0] = 0}, {[2^40] = 1}, {1, a = 2})",
                "local t = {} for i = 1, 20 do t[i] = i end local m = {} for i = 1, 20 do m['k' .. i] = i end"
                        + " local big = {} for i = 1, 70000 do big[i] = 1 end return {cmsgpack.pack(t, m),"
                        + " #cmsgpack.pack(big)}",
                "local t = {} t[1] = t return cmsgpack.pack(t)",
                "local t = {} t.a = t return cmsgpack.pack(t)",
                "return cmsgpack.pack({a = {b = {c = {1, 2, {d = 'e'}}}}})",
                "return {pcall(cmsgpack.pack)}"));
    }

    @Test
    void cmsgpackRoundTripsBinaryStrings() throws IOException {
        both(eval("local p = cmsgpack.pack(ARGV[1]) return {p, cmsgpack.unpack(p) == ARGV[1], #p}", ALL_BYTES),
                eval("return cmsgpack.pack(ARGV[1], ARGV[2], {ARGV[1], k = ARGV[2]})", ALL_BYTES, "\0\u00ff\0"),
                eval("return {cmsgpack.unpack(cmsgpack.pack(ARGV[1], {ARGV[1]}, {[ARGV[2]] = ARGV[1]}))}",
                        ALL_BYTES, "\u0080\u0000"),
                eval("return cmsgpack.unpack(ARGV[1])", "\u00da\u0000\u0003\u0000\u00ff\u0080"),
                eval("redis.call('set', 'packed', cmsgpack.pack(ARGV[1], 1.5, {1, 2})) return"
                        + " {cmsgpack.unpack(redis.call('get', 'packed'))}", ALL_BYTES),
                eval("local s = '' for i = 0, 255 do s = s .. string.char(i) end return cmsgpack.pack(s) =="
                        + " cmsgpack.pack(ARGV[1])", ALL_BYTES));
        twin.sameDigest();
    }

    @Test
    void cmsgpackUnpacks() throws IOException {
        both(evals(
                "return {cmsgpack.unpack(cmsgpack.pack(1, 2, 'abc', {1, 2}, {a = 1}, 1.5, 0.1, -1, -100, 100000,"
                        + " 2^53))}",
                "return cjson.encode({cmsgpack.unpack(cmsgpack.pack({1, {2, {3, {}}}, {a = {b = {1, 2}}}, 'x',"
                        + " {[1] = {}, [2] = {}}}, {k = {}}, 5))})",
                "return cjson.encode({cmsgpack.unpack('\\147\\1\\145\\2\\130\\161a\\1\\161b\\144\\3')})",
                "cjson.encode_invalid_numbers(true) local r = cjson.encode({cmsgpack.unpack("
                        + "'\\207\\255\\255\\255\\255\\255\\255\\255\\255\\211\\128\\0\\0\\0\\0\\0\\0\\0"
                        + "\\202\\127\\192\\0\\0\\203\\127\\240\\0\\0\\0\\0\\0\\1\\204\\200\\208\\200\\205\\255\\255"
                        + "\\209\\128\\0\\206\\255\\255\\255\\255\\210\\128\\0\\0\\0\\224\\255\\127')})"
                        + " cjson.encode_invalid_numbers(false) return r",
                "return {cmsgpack.unpack('\\192\\194\\195\\217\\3abc\\219\\0\\0\\0\\2hi\\220\\0\\1\\1"
                        + "\\221\\0\\0\\0\\1\\2\\222\\0\\1\\1\\2\\223\\0\\0\\0\\0')}",
                "return {cmsgpack.unpack(123)}",
                "return {cmsgpack.unpack('')}",
                "return #{cmsgpack.unpack(string.rep('\\1', 7990))}"));
    }

    @Test
    void cmsgpackUnpackErrors() throws IOException {
        both(evals(
                "return {pcall(cmsgpack.unpack, '\\207\\255')}",
                "return cmsgpack.unpack('\\147\\1\\2')",
                "return {pcall(cmsgpack.unpack, '\\193')}",
                "return {pcall(cmsgpack.unpack, '\\1\\2\\199')}",
                "return {pcall(cmsgpack.unpack, '\\129\\192\\1')}",
                "return {pcall(cmsgpack.unpack, '\\129\\203\\127\\248\\0\\0\\0\\0\\0\\0\\1')}",
                "return {pcall(cmsgpack.unpack, '\\129\\1')}",
                "return {pcall(cmsgpack.unpack, '\\217\\10abc')}",
                "return {pcall(cmsgpack.unpack, '\\221\\255\\255\\255\\255')}",
                "return {pcall(cmsgpack.unpack)}",
                "return {pcall(cmsgpack.unpack, {})}",
                "return {pcall(cmsgpack.unpack, string.rep('\\1', 9000))}",
                "return {pcall(cmsgpack.unpack, string.rep('\\145', 5000) .. '\\1')}",
                "return {pcall(cmsgpack.unpack, string.rep('\\129\\1', 5000) .. '\\1')}"));
    }

    @Test
    void cmsgpackUnpackOneAndLimitReturnTheNextOffset() throws IOException {
        String p = "local p = cmsgpack.pack(1, 2, 3, 'four', {5}) ";
        both(evals(
                p + "return {cmsgpack.unpack_one(p)}",
                p + "return {cmsgpack.unpack_one(p, 1), cmsgpack.unpack_one(p, 3)}",
                p + "local r = {} local off = 0 while off >= 0 do local v off, v = cmsgpack.unpack_one(p, off)"
                        + " r[#r + 1] = off end return r",
                p + "return {cmsgpack.unpack_limit(p, 2)}",
                p + "local a = {cmsgpack.unpack_limit(p, 2)} return {cmsgpack.unpack_limit(p, 10, a[1])}",
                p + "return {cmsgpack.unpack_limit(p, 0)}",
                p + "return {cmsgpack.unpack_limit(p, 0, 2)}",
                p + "return {cmsgpack.unpack_limit(p, 1, 0)}",
                p + "return {cmsgpack.unpack_one(p, #p)}",
                p + "return {pcall(cmsgpack.unpack_one, p, #p + 1)}",
                p + "return {pcall(cmsgpack.unpack_one, p, -1)}",
                p + "return {pcall(cmsgpack.unpack_limit, p, -1)}",
                p + "return {pcall(cmsgpack.unpack_limit, p, -1, 5)}",
                p + "return {pcall(cmsgpack.unpack_limit, p)}",
                p + "return {pcall(cmsgpack.unpack_one, p, 'x')}",
                p + "return {pcall(cmsgpack.unpack_one, p, '2')}",
                p + "return {pcall(cmsgpack.unpack_one, p, 2.9)}",
                p + "return {pcall(cmsgpack.unpack_one, p, 9)}",
                "return {pcall(cmsgpack.unpack_one)}",
                "return {pcall(cmsgpack.unpack_one, '\\205\\1', 0)}"));
    }

    @Test
    void structPacksEveryFormat() throws IOException {
        both(evals(
                "return struct.pack('bBhHlLTiIfd', -1, 255, -2, 65535, -3, 2^63, 5, -4, 2^32 - 1, 1.5, 0.1)",
                "return struct.pack('>bBhHlLTiIfd', -1, 255, -2, 65535, -3, 2^64, 5, -4, 2^32, 1.5, 0.1)",
                "return struct.pack('<i7>i7<I3>I3', -1, 2^40 + 5, 2^24 + 5, 7)",
                "return struct.pack('<i16>i16i9I3i0i1', -1, -2, 2^70, 2^24 + 5, 7, 300)",
                "return struct.pack('!bd!2bd!4bi!bh', 1, 2, 3, 4, 5, 6, 7, 8)",
                "return struct.pack('!8bi3bi5bI7bl', 1, 2, 3, 4, 5, 6, 7, 8)",
                "return struct.pack('xbx', 1)",
                "return struct.pack('c0sc3c', 'ab\\0c', 'x\\0y', 'abcdef', 'q')",
                "return struct.pack('s', '')",
                "return struct.pack(' > i < i ', 1, 1)",
                "return struct.pack('i\\0z', 1)",
                "return struct.pack('c', 12)",
                "return struct.pack('i', '42')",
                "return {struct.pack('L', 0/0), struct.pack('l', 0/0), struct.pack('L', 1e30), struct.pack('l', 1e30),"
                        + " struct.pack('l', -1e30), struct.pack('L', 2^64), struct.pack('i', 2^40 + 7),"
                        + " struct.pack('L', 2^63 - 1024), struct.pack('b', 300), struct.pack('b', -1.9),"
                        + " struct.pack('B', 2.9)}",
                "return {struct.pack('f', 0.1), struct.pack('>f', 1/0), struct.pack('d', -0.0), struct.pack('>d', 0/0),"
                        + " struct.pack('f', 1e300)}"));
    }

    @Test
    void structUnpacksAndSizes() throws IOException {
        both(evals(
                "return {struct.unpack('bBhHlLTiIfd', struct.pack('bBhHlLTiIfd', -1, 255, -2, 65535, -3, 2^63,"
                        + " 5, -4, 2^32 - 1, 1.5, 0.1))}",
                "return {struct.unpack('>bBhHlLTiI', struct.pack('>bBhHlLTiI', -1, 255, -2, 65535, -3,"
                        + " 2^63 + 2^62, 5, -4, 2^32 - 1))}",
                "return {struct.unpack('!bd!2bd!4bi!bh', struct.pack('!bd!2bd!4bi!bh', 1, 2, 3, 4, 5, 6, 7, 8))}",
                "return {struct.unpack('>!4 b i', struct.pack('>!4 b i', 1, 2))}",
                "return {struct.unpack('i16I16i9I3i0', string.rep('\\255', 44))}",
                "return {struct.unpack('<i7>i7', string.rep('\\128', 14))}",
                "return {struct.unpack('bc0', '\\5hello')}",
                "return {struct.unpack('c1c0', '3hello')}",
                "return {struct.unpack('ss', 'ab\\0cd\\0ef')}",
                "return {struct.unpack('c2xc2', 'abXcd')}",
                "return {struct.unpack('i', 'abcdefgh', 5)}",
                "return {struct.unpack('', 'abc', -5)}",
                "return {struct.unpack('h', 'abc', 2.7)}",
                "local f = struct.unpack('f', struct.pack('f', 0.1)) return tostring(f)",
                "local d = struct.unpack('>d', struct.pack('>d', 1/3)) return tostring(d)",
                "return cjson.encode({struct.unpack('dd', struct.pack('dd', 1/0, -1/0))}) ~= nil",
                "return {struct.size('!bd'), struct.size('bd'), struct.size('!4bd'), struct.size('i7i3!i3i5'),"
                        + " struct.size('c10x z'), struct.size('!8bi16'), struct.size('!bi7'), struct.size(''),"
                        + " struct.size('bBhHlLTiIfd'), struct.size('!bBhHlLTiIfd'), struct.size('<>!2hb')}"));
    }

    @Test
    void structBinaryStrings() throws IOException {
        both(eval("local p = struct.pack('>I2c0d', #ARGV[1], ARGV[1], 2.5) return {p, struct.unpack('>I2c0d', p)}",
                        ALL_BYTES),
                eval("return {struct.unpack('c256', ARGV[1])}", ALL_BYTES),
                eval("return {struct.unpack('s', ARGV[1], 2)}", ALL_BYTES),
                eval("return {struct.unpack('<I4>I4bB', ARGV[1], 200)}", ALL_BYTES));
    }

    @Test
    void structErrors() throws IOException {
        both(evals(
                "return {pcall(struct.size, 's')}",
                "return {pcall(struct.size, 'c0')}",
                "return {pcall(struct.size, '=')}",
                "return {pcall(struct.pack, '!3b', 1)}",
                "return {pcall(struct.pack, 'i33', 1)}",
                "return {pcall(struct.pack, 'i99999999999', 1)}",
                "return {pcall(struct.pack, 'z', 1)}",
                "return {pcall(struct.pack, '=i', 1)}",
                "return {pcall(struct.pack, '\\200', 1)}",
                "return {pcall(struct.pack, 'i', 'x')}",
                "return {pcall(struct.pack, 'i')}",
                "return {pcall(struct.pack, 'ii', 1)}",
                "return {pcall(struct.pack, 'c5', 'abc')}",
                "return {pcall(struct.pack, 'c', {})}",
                "return {pcall(struct.pack)}",
                "return {pcall(struct.unpack, 'c0', '5hello')}",
                "return {pcall(struct.unpack, 'c1c0', '9hello')}",
                "return {pcall(struct.unpack, 'c1c0', 'xhello')}",
                "return {pcall(struct.unpack, 'ss', 'ab\\0cd')}",
                "return {pcall(struct.unpack, 'i', 'abc')}",
                "return {pcall(struct.unpack, 'i', 'abcdefgh', 0)}",
                "return {pcall(struct.unpack, 'i', 'abcdefgh', 6)}",
                "return {pcall(struct.unpack, 'b', 'abc', -5)}",
                "return {pcall(struct.unpack, 'b')}",
                "return {pcall(struct.unpack, '=', '')}",
                "return struct.pack('y', 1)",
                "local t = {} t.p = struct.pack return {pcall(function() return t:p() end)}",
                "struct.pack = nil"));
    }

    /** Functions see the libraries when they run, as EVAL does; the library's load-time code does not. */
    @Test
    void functionsSeeTheLibrariesWhenTheyRun() throws IOException {
        String lib = "#!lua name=libs\n"
                + "redis.register_function('enc', function(keys, args) return cjson.encode({args[1], n = 1}) end)\n"
                + "redis.register_function('mp', function(keys, args) return cmsgpack.pack(args[1], {1, 2}) end)\n"
                + "redis.register_function('st', function(keys, args) return {struct.unpack('>I2', args[1])} end)\n";
        both(new String[] {"FUNCTION", "LOAD", "REPLACE", lib},
                new String[] {"FCALL", "enc", "0", ALL_BYTES},
                new String[] {"FCALL", "mp", "0", ALL_BYTES},
                new String[] {"FCALL", "st", "0", "\u00ff\u0001"},
                new String[] {"FUNCTION", "LOAD", "REPLACE", "#!lua name=atload\nlocal x = cjson.encode({})\n"
                        + "redis.register_function('f', function() return 1 end)"},
                new String[] {"FUNCTION", "LOAD", "REPLACE", "#!lua name=atload\nlocal x = struct.size('i')\n"
                        + "redis.register_function('f', function() return 1 end)"},
                new String[] {"FUNCTION", "LOAD", "REPLACE", "#!lua name=atload\nlocal x = cmsgpack.pack(1)\n"
                        + "redis.register_function('f', function() return 1 end)"});
    }
}
