-- Cascade's Lua sandbox, run once per interpreter with the standard libraries loaded (chunk name "=cascade").
-- It builds what Redis 7.0 gives scripts: only the base, table, string, math libraries (plus redis, bit,
-- cjson, struct, cmsgpack when present), a global table that refuses writes ("Attempt to modify a readonly
-- table") and reads of unknown names ("Script attempted to access nonexistent global variable"), Redis's
-- pcall that turns error tables into their text, and the error handler that records where an error came from.
-- Redis gets the read-only tables from its patched Lua (lua_enablereadonlytable); standard Lua 5.1 has no
-- such flag, so here every protected table is an empty proxy whose metatable reads through to the real one.
local redis, interrupt, register = ...
local G = _G
local getinfo, sethook = debug.getinfo, debug.sethook
local rawpcall, rawset_, rawget_, error_, type_, tostring_, setmetatable_, getmetatable_, select_, unpack_ =
    pcall, rawset, rawget, error, type, tostring, setmetatable, getmetatable, select, unpack
local gsub = string.gsub

-- proxies that refuse writes, keyed weakly so that a dropped proxy can go
local readonly = setmetatable_({}, { __mode = 'k' })

local function refuse()
    error_("Attempt to modify a readonly table", 2)
end

-- shown: what getmetatable answers for the proxy (false hides the proxy's own metatable)
local function protect(t, shown)
    local proxy = {}
    readonly[proxy] = true
    setmetatable_(proxy, { __index = t, __newindex = refuse, __metatable = shown or false })
    return proxy
end

-- what Redis keeps of the base library (lua_builtins_allow_list; 7.0.15's Lua has no getfenv, setfenv and
-- newproxy any more)
local names = { 'xpcall', 'tostring', 'setmetatable', 'next', 'assert', 'tonumber', 'rawequal',
    'collectgarbage', 'getmetatable', 'rawset', 'pcall', 'type', 'select', 'unpack', 'gcinfo', 'pairs',
    'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error' }
local libs = { 'string', 'math', 'table', 'coroutine', 'cjson', 'bit', 'struct', 'cmsgpack' }

local base = {}
for _, n in ipairs(names) do base[n] = G[n] end
for _, n in ipairs(libs) do
    if G[n] ~= nil then base[n] = protect(G[n]) end
end

-- Redis's pcall: an error raised as a table with an err field comes back as that text
local function pcallResult(ok, ...)
    if ok then return true, ... end
    local e = ...
    if type_(e) == 'table' and type_(rawget_(e, 'err')) == 'string' then return false, rawget_(e, 'err') end
    return false, e
end
base.pcall = function(f, ...) return pcallResult(rawpcall(f, ...)) end

-- rawset on a protected table fails as in Redis (there it is the table's flag; here the proxy's)
base.rawset = function(t, k, v)
    if readonly[t] then error_("Attempt to modify a readonly table", 2) end
    return rawset_(t, k, v)
end
base.setmetatable = function(t, mt)
    if readonly[t] then error_("Attempt to modify a readonly table", 2) end
    return setmetatable_(t, mt)
end

-- Redis's Lua always parses text (its luaD_protectedparser has no binary undump): a precompiled chunk fails
-- as text starting with byte 27 does. A leading space keeps standard Lua from undumping it, and the original
-- string stays the chunk's name, so the error reads the same
local rawloadstring, byte = loadstring, string.byte
base.loadstring = function(s, name)
    if type_(s) == 'string' and byte(s, 1) == 27 then
        return rawloadstring(' ' .. s, name or s)
    end
    return rawloadstring(s, name)
end

base.redis = protect(redis)

-- reads of names that are not there fail with Redis's text (luaProtectedTableError)
setmetatable_(base, { __index = function(_, k)
    if type_(k) ~= 'string' and type_(k) ~= 'number' then
        error_("Second argument to luaProtectedTableError must be a string or number", 2)
    end
    error_("Script attempted to access nonexistent global variable '" .. tostring_(k) .. "'", 2)
end })

-- Redis's globals have a metatable of their own (luaSetErrorMetatable), read-only as well: a script can get it
-- but not change it
local env = protect(base, protect({ __index = getmetatable_(base).__index }))
rawset_(base, '_G', env)

-- the error handler of every call (__redis__err__handler): the error as a table with where it came from;
-- when it was raised by a C function (error, redis.call) the place is its caller, and frames of this file
-- (the sandbox's own functions) are skipped so that the place is the user's line
local function errh(err)
    local level = 2
    local i = getinfo(level, 'nSl')
    if i and i.what == 'C' then
        level = 3
        i = getinfo(level, 'nSl')
    end
    while i and i.source == '=cascade' do
        level = level + 1
        i = getinfo(level, 'nSl')
        if i and i.what == 'C' then
            level = level + 1
            i = getinfo(level, 'nSl')
        end
    end
    if type_(err) ~= 'table' then
        err = { err = 'ERR ' .. tostring_(err) }
    end
    if i and not rawget_(err, 'placed') then
        err['source'] = i.source
        err['line'] = i.currentline
    end
    return err
end
base.__redis__err__handler = errh

-- binary strings: the JNI bridge can only push text, so Java sends bytes 0x80-0xFF and NUL in the modified
-- UTF-8 form of Latin-1 (two bytes each) and this puts the original bytes back
local pairsMap = {}
pairsMap['\192\128'] = '\0'
for b = 128, 255 do
    pairsMap[string.char(192 + math.floor(b / 64), 128 + b % 64)] = string.char(b)
end
local function decode(s)
    return (gsub(s, '[\192\194\195][\128-\191]', pairsMap))
end

-- the busy-script check every 100000 instructions (luaMaskCountHook); once killed it runs on every line so
-- that a pcall in the script cannot swallow the kill
local function hook()
    local msg = interrupt()
    if msg then
        sethook(hook, 'l')
        -- the place is the interrupted line (level 2: the function the hook stopped)
        local level = 2
        local i = getinfo(level, 'Sl')
        while i and (i.source == '=cascade' or i.what == 'C' or i.what == 'tail') do
            level = level + 1
            i = getinfo(level, 'Sl')
        end
        error_({ err = msg, source = i and i.source, line = i and i.currentline, placed = true })
    end
end
local function setHook(on)
    if on then sethook(hook, '', 100000) else sethook() end
end

G.debug = nil
if not register then
    return errh, decode, setHook, base, env, readonly, protect
end

-- the function engine (function_lua.c): while FUNCTION LOAD runs the library's code, its globals are only a
-- redis table with register_function, log and the versions; when its functions run, they are the same as
-- EVAL's (without KEYS and ARGV, which are arguments there)
local errmt = getmetatable_(base)
local loadRedis = setmetatable_({ register_function = register, log = rawget_(redis, 'log'),
    LOG_DEBUG = rawget_(redis, 'LOG_DEBUG'), LOG_VERBOSE = rawget_(redis, 'LOG_VERBOSE'),
    LOG_NOTICE = rawget_(redis, 'LOG_NOTICE'), LOG_WARNING = rawget_(redis, 'LOG_WARNING'),
    REDIS_VERSION = rawget_(redis, 'REDIS_VERSION'), REDIS_VERSION_NUM = rawget_(redis, 'REDIS_VERSION_NUM') }, errmt)
local loadApi = setmetatable_({ redis = protect(loadRedis) }, errmt)
local fmt = { __index = base, __newindex = refuse, __metatable = false }
local fenv = setmetatable_({}, fmt)
readonly[fenv] = true
local function setLoad(on)
    fmt.__index = on and loadApi or base
end
return errh, decode, setHook, base, fenv, readonly, protect, setLoad
