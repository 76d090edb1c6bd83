package io.cascade.server.scripting;

import io.cascade.conf.ArgSplitter;
import io.cascade.conf.Glob;
import io.cascade.conf.Log;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.Numbers;
import party.iroiro.luajava.Lua;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis 7.0's functions (functions.c and function_lua.c): the libraries loaded with FUNCTION LOAD, their
 * functions by name, the Lua engine's own interpreter, and FCALL. Command thread only.
 */
public final class Functions {
    static final String BAD_NAME = "Library names can only contain letters, numbers, or underscores(_) and must "
            + "be at least one character long";

    /** One registered function: its callback (a registry reference), description and flags. */
    record Function(String name, int ref, byte[] desc, int flags, Library library) {
    }

    /** One library: its name, whole code (with the shebang) and functions in registration order. */
    static final class Library {
        final String name;
        final byte[] code;
        final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    private final Scripting scripting;
    private final RedisApi api;
    private LuaState lua;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    /** The library whose code is running in FUNCTION LOAD: register_function adds to it. */
    private Library loading;

    public Functions(Scripting scripting) {
        this.scripting = scripting;
        this.api = new RedisApi(scripting);
    }

    private LuaState lua() {
        if (lua == null) {
            lua = new LuaState(api.functions(false), l -> {
                String stop = loading != null ? loadTimeout() : scripting.busy.interrupt();
                if (stop == null) {
                    return 0;
                }
                lua.n.lua_pushstring(l.getPointer(), stop);
                return 1;
            }, this::registerFunction);
            api.attach(lua);
        }
        return lua;
    }

    /** luaEngineLoadHook: a library's code may run 500 ms at most (not from the master: no timeout). */
    private String loadTimeout() {
        if (loadTimeoutMillis > 0 && System.nanoTime() - loadStart > loadTimeoutMillis * 1_000_000) {
            return "ERR FUNCTION LOAD timeout";
        }
        return null;
    }

    private long loadStart;
    private long loadTimeoutMillis;

    public int libraryCount() {
        return libraries.size();
    }

    public int functionCount() {
        return functions.size();
    }

    Collection<Library> libraries() {
        return libraries.values();
    }

    /** The code of every library, for the RDB and FUNCTION DUMP. */
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (Library l : libraries.values()) {
            out.add(l.code);
        }
        return out;
    }

    /** FUNCTION FLUSH, and before a full sync or an RDB load replaces the functions. */
    public void flush() {
        for (Library l : new ArrayList<>(libraries.values())) {
            unlink(l);
            free(l);
        }
    }

    /** The libraries of an RDB replace the current ones; one that does not load is logged and skipped. */
    public void replaceAll(List<byte[]> codes) {
        flush();
        for (byte[] code : codes) {
            try {
                create(code, false, 0);
            } catch (ScriptException e) {
                Log.warning("Failed loading library from the RDB: %s", e.getMessage());
            }
        }
    }

    Library library(String name) {
        return libraries.get(name);
    }

    private void link(Library l) {
        libraries.put(l.name, l);
        for (Function f : l.functions.values()) {
            functions.put(f.name().toLowerCase(Locale.ROOT), f);
        }
    }

    private void unlink(Library l) {
        libraries.remove(l.name);
        for (Function f : l.functions.values()) {
            functions.remove(f.name().toLowerCase(Locale.ROOT));
        }
    }

    private void free(Library l) {
        if (lua != null) {
            for (Function f : l.functions.values()) {
                lua.n.luaL_unref(lua.main, LuaState.REGISTRY, f.ref());
            }
        }
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * functionsCreateWithLibraryCtx: parses the "#!lua name=..." metadata, runs the code so that it registers
     * its functions, and links the library (replacing one of the same name when asked). Returns its name.
     */
    public String create(byte[] code, boolean replace) {
        return create(code, replace, 500);
    }

    /** As create, with the load timeout in ms (0 for none: FUNCTION LOAD from the master, RDB loading). */
    public String create(byte[] code, boolean replace, long timeoutMillis) {
        loadTimeoutMillis = timeoutMillis;
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new ScriptException("ERR Missing library metadata");
        }
        int end = -1;
        for (int i = 0; i < code.length; i++) {
            if (code[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new ScriptException("ERR Invalid library metadata");
        }
        List<byte[]> parts = ArgSplitter.split(Arrays.copyOf(code, end));
        if (parts == null || parts.isEmpty()) {
            throw new ScriptException("ERR Invalid library metadata");
        }
        String engine = text(parts.get(0)).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String p = text(parts.get(i));
            if (p.length() >= 5 && p.substring(0, 5).equalsIgnoreCase("name=")) {
                if (name != null) {
                    throw new ScriptException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = p.substring(5);
                continue;
            }
            throw new ScriptException("ERR Invalid metadata value given: " + p);
        }
        if (name == null) {
            throw new ScriptException("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new ScriptException("ERR " + BAD_NAME);
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw new ScriptException("ERR Engine '" + engine + "' not found");
        }
        Library old = libraries.get(name);
        if (old != null && !replace) {
            throw new ScriptException("ERR Library '" + name + "' already exists");
        }
        if (old != null) {
            unlink(old);
        }
        Library lib = new Library(name, code);
        try {
            run(lib, code, end);
            if (lib.functions.isEmpty()) {
                throw new ScriptException("ERR No functions registered");
            }
            for (String f : lib.functions.keySet()) {
                if (functions.containsKey(f.toLowerCase(Locale.ROOT))) {
                    throw new ScriptException("ERR Function " + f + " already exists");
                }
            }
        } catch (ScriptException e) {
            free(lib);
            if (old != null) {
                link(old);
            }
            throw e;
        }
        link(lib);
        if (old != null) {
            free(old);
        }
        return name;
    }

    /** luaEngineCreate: compiles the code after the shebang and runs it with the load-time globals. */
    private void run(Library lib, byte[] code, int from) {
        LuaState s = lua();
        long L = s.main;
        if (s.load(L, code, from, code.length - from, "@user_function") != 0) {
            String msg = s.text(L, -1);
            s.n.lua_settop(L, 0);
            throw new ScriptException("ERR Error compiling function: " + msg);
        }
        s.registry(L, "cascade_env");
        s.n.lua_setfenv(L, -2);
        setLoad(s, L, true);
        loading = lib;
        loadStart = System.nanoTime();
        setHook(s, L, true);
        try {
            if (s.n.lua_pcall(L, 0, 0, 0) != 0) {
                ErrorInfo e = ErrorInfo.of(s, L);
                throw new ScriptException("ERR Error registering functions: " + e.msg);
            }
        } finally {
            loading = null;
            setHook(s, L, false);
            setLoad(s, L, false);
            s.n.lua_settop(L, 0);
        }
    }

    private static void setHook(LuaState s, long L, boolean on) {
        int top = s.n.lua_gettop(L);
        s.registry(L, "cascade_sethook");
        s.n.lua_pushboolean(L, on ? 1 : 0);
        s.n.lua_pcall(L, 1, 0, 0);
        s.n.lua_settop(L, top);
    }

    private static void setLoad(LuaState s, long L, boolean on) {
        s.registry(L, "cascade_setload");
        s.n.lua_pushboolean(L, on ? 1 : 0);
        s.n.lua_pcall(L, 1, 0, 0);
    }

    /** redis.register_function, positional (name, callback) or named ({function_name=..., callback=...}). */
    private int registerFunction(Lua l) {
        long L = l.getPointer();
        LuaState s = lua;
        var n = s.n;
        if (loading == null) {
            LuaReplies.pushError(s, L, "redis.register_function can only be called on FUNCTION LOAD command");
            return -1;
        }
        int argc = n.lua_gettop(L);
        if (argc < 1 || argc > 2) {
            LuaReplies.pushError(s, L, "wrong number of arguments to redis.register_function");
            return -1;
        }
        String name = null;
        byte[] desc = null;
        int ref = -1;
        int flags = 0;
        String err = null;
        if (argc == 2) {
            if (n.lua_type(L, 1) != LuaState.TSTRING && n.lua_type(L, 1) != LuaState.TNUMBER) {
                err = "first argument to redis.register_function must be a string";
            } else if (n.lua_isfunction(L, 2) == 0) {
                err = "second argument to redis.register_function must be a function";
            } else {
                name = s.text(L, 1);
                ref = n.luaL_ref(L, LuaState.REGISTRY);
            }
        } else if (n.lua_type(L, 1) != LuaState.TTABLE) {
            err = "calling redis.register_function with a single argument is only applicable to Lua table "
                    + "(representing named arguments).";
        } else {
            n.lua_pushnil(L);
            while (err == null && n.lua_next(L, -2) != 0) {
                int kt = n.lua_type(L, -2);
                if (kt != LuaState.TSTRING && kt != LuaState.TNUMBER) {
                    err = "named argument key given to redis.register_function is not a string";
                    break;
                }
                String key = s.text(L, -2).toLowerCase(Locale.ROOT);
                int vt = n.lua_type(L, -1);
                switch (key) {
                    case "function_name" -> {
                        if (vt != LuaState.TSTRING && vt != LuaState.TNUMBER) {
                            err = "function_name argument given to redis.register_function must be a string";
                        } else {
                            name = s.text(L, -1);
                        }
                    }
                    case "description" -> {
                        if (vt != LuaState.TSTRING && vt != LuaState.TNUMBER) {
                            err = "description argument given to redis.register_function must be a string";
                        } else {
                            desc = s.bytes(L, -1);
                        }
                    }
                    case "callback" -> {
                        if (vt != LuaState.TFUNCTION) {
                            err = "callback argument given to redis.register_function must be a function";
                        } else {
                            if (ref != -1) {
                                n.luaL_unref(L, LuaState.REGISTRY, ref);
                            }
                            ref = n.luaL_ref(L, LuaState.REGISTRY);
                            continue; // the value was taken off the stack
                        }
                    }
                    case "flags" -> {
                        if (vt != LuaState.TTABLE) {
                            err = "flags argument to redis.register_function must be a table representing "
                                    + "function flags";
                        } else {
                            Integer f = readFlags(s, L);
                            if (f == null) {
                                err = "unknown flag given";
                            } else {
                                flags = f;
                            }
                        }
                    }
                    default -> err = "unknown argument given to redis.register_function";
                }
                n.lua_settop(L, -2);
            }
            if (err == null && name == null) {
                err = "redis.register_function must get a function name argument";
            }
            if (err == null && ref == -1) {
                err = "redis.register_function must get a callback argument";
            }
        }
        if (err == null && !validName(name)) {
            err = BAD_NAME;
        }
        if (err == null && loading.functions.containsKey(name)) {
            err = "Function already exists in the library";
        }
        if (err != null) {
            if (ref != -1) {
                n.luaL_unref(L, LuaState.REGISTRY, ref);
            }
            n.lua_settop(L, 0);
            LuaReplies.pushError(s, L, err);
            return -1;
        }
        loading.functions.put(name, new Function(name, ref, desc, flags, loading));
        return 0;
    }

    /** luaRegisterFunctionReadFlags: the table's strings 1, 2, ... as flags, or null for an unknown one. */
    private static Integer readFlags(LuaState s, long L) {
        var n = s.n;
        int flags = 0;
        for (int j = 1; ; j++) {
            n.lua_rawgeti(L, -1, j);
            int t = n.lua_type(L, -1);
            if (t == LuaState.TNIL) {
                n.lua_settop(L, -2);
                return flags;
            }
            if (t != LuaState.TSTRING && t != LuaState.TNUMBER) {
                n.lua_settop(L, -2);
                return null;
            }
            int bit = ScriptFlags.byName(s.text(L, -1).toLowerCase(Locale.ROOT));
            n.lua_settop(L, -2);
            if (bit == 0 || bit == ScriptFlags.EVAL_COMPAT_MODE) {
                return null;
            }
            flags |= bit;
        }
    }

    /** FUNCTION DELETE: false when there is no such library. */
    public boolean delete(String name) {
        Library l = libraries.get(name);
        if (l == null) {
            return false;
        }
        unlink(l);
        free(l);
        return true;
    }

    /**
     * FUNCTION RESTORE's libraryJoin: links the libraries of a payload, replacing those of the same name or
     * refusing them, and refusing any function name already taken.
     */
    public void join(List<byte[]> codes, String policy) {
        // compile them all first, aside, so that a failure leaves everything as it was
        Map<String, Library> current = new LinkedHashMap<>(libraries);
        Map<String, Function> currentFunctions = new HashMap<>(functions);
        if (policy.equals("flush")) {
            libraries.clear();
            functions.clear();
        }
        List<Library> added = new ArrayList<>();
        try {
            for (byte[] code : codes) {
                String name = createAside(code, added);
                if (!policy.equals("flush") && current.containsKey(name) && !policy.equals("replace")) {
                    throw new ScriptException("ERR Library " + name + " already exists");
                }
            }
            if (!policy.equals("flush")) {
                for (Library l : added) {
                    Library old = libraries.get(l.name);
                    if (old != null) {
                        unlink(old);
                    }
                }
                for (Library l : added) {
                    for (String f : l.functions.keySet()) {
                        if (functions.containsKey(f.toLowerCase(Locale.ROOT))) {
                            throw new ScriptException("ERR Function " + f + " already exists");
                        }
                    }
                }
            }
        } catch (ScriptException e) {
            for (Library l : added) {
                free(l);
            }
            libraries.clear();
            libraries.putAll(current);
            functions.clear();
            functions.putAll(currentFunctions);
            throw e;
        }
        for (Library l : current.values()) {
            if (!libraries.containsKey(l.name) || libraries.get(l.name) != l) {
                free(l);
            }
        }
        for (Library l : added) {
            link(l);
        }
    }

    /** Creates a library into a side list (no collision checks against the linked ones). */
    private String createAside(byte[] code, List<Library> added) {
        Map<String, Library> saved = new LinkedHashMap<>(libraries);
        Map<String, Function> savedF = new HashMap<>(functions);
        libraries.clear();
        functions.clear();
        for (Library l : added) {
            link(l);
        }
        try {
            String name = create(code, false, 0);
            added.add(libraries.get(name));
            return name;
        } finally {
            libraries.clear();
            libraries.putAll(saved);
            functions.clear();
            functions.putAll(savedF);
        }
    }

    /** fcallGetCommandFlags' lookup: the flags the named function declares, or -1 when there is none such. */
    int declaredFlags(byte[] name) {
        Function f = functions.get(text(name).toLowerCase(Locale.ROOT));
        return f == null ? -1 : f.flags();
    }

    /** fcallCommandGeneric: FCALL and FCALL_RO. */
    public void fcall(CommandContext c, boolean ro) {
        c.server.feedMonitors(c.client, c.argv);
        Function f = functions.get(c.arg(1).toLowerCase(Locale.ROOT));
        if (f == null) {
            c.reply.error("ERR Function not found");
            return;
        }
        Long numkeys = Numbers.parseLong(c.argv[2]);
        if (numkeys == null) {
            c.reply.error("ERR Bad number of keys provided");
            return;
        }
        if (!Scripting.numkeysInRange(c, numkeys)) {
            return;
        }
        ScriptRun r = scripting.prepare(c, f.name(), f.flags(), ro, false);
        if (r == null) {
            return;
        }
        LuaState s = lua();
        long L = s.main;
        s.registry(L, "cascade_errh");
        s.n.lua_rawgeti(L, LuaState.REGISTRY, f.ref());
        int nk = numkeys.intValue();
        Scripting.array(s, L, c.argv, 3, nk);
        Scripting.array(s, L, c.argv, 3 + nk, c.argc() - 3 - nk);
        scripting.execute(c, r, s, L, 2);
    }

    /** FUNCTION LIST: the libraries (whose name matches the pattern, when given) with their functions. */
    public void list(RespWriter reply, byte[] pattern, boolean withCode) {
        List<Library> shown = new ArrayList<>();
        for (Library l : libraries.values()) {
            if (pattern == null || Glob.match(pattern, l.name.getBytes(StandardCharsets.UTF_8), false)) {
                shown.add(l);
            }
        }
        reply.array(shown.size());
        for (Library l : shown) {
            reply.map(withCode ? 4 : 3);
            reply.bulk("library_name");
            reply.bulk(l.name);
            reply.bulk("engine");
            reply.bulk("LUA");
            reply.bulk("functions");
            reply.array(l.functions.size());
            for (Function f : l.functions.values()) {
                reply.map(3);
                reply.bulk("name");
                reply.bulk(f.name());
                reply.bulk("description");
                if (f.desc() != null) {
                    reply.bulk(f.desc());
                } else {
                    reply.nullBulk();
                }
                reply.bulk("flags");
                List<String> names = ScriptFlags.names(f.flags());
                reply.set(names.size());
                for (String n : names) {
                    reply.simple(n);
                }
            }
            if (withCode) {
                reply.bulk("library_code");
                reply.bulk(l.code);
            }
        }
    }

    /** INFO's used_memory_functions, roughly: the libraries' code plus the empty dictionaries' 200 bytes. */
    public long overheadMemory() {
        long bytes = 200;
        for (Library l : libraries.values()) {
            bytes += l.code.length;
        }
        return bytes;
    }

    /** The Lua heap of the function engine in bytes. */
    public long luaMemory() {
        if (lua == null) {
            return 32 * 1024;
        }
        return lua.n.lua_gc(lua.main, 3, 0) * 1024L + lua.n.lua_gc(lua.main, 4, 0);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
