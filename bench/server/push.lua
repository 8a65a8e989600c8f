-- bench/server/push.lua: wrk script for POST /api/v1/sync (JSON PushRequest).
--
-- Env: BENCH_DEVICES  file of "<token> <replica id>" lines (gen-devices.js)
--      BENCH_THREADS  wrk's -t (devices are split between threads so that each replica id
--                     is stamped by one Lua state only: its stamps stay strictly increasing)
--      BENCH_OPS      operations per push, 1..3 (default 1)
--      BENCH_SCHEMA   the record model's version the pushes declare (run.sh reads it from the
--                     bodies gen-devices.mjs wrote, which ask the built core): a stale number
--                     is answered 426 upgrade_required instead of being applied
--
-- Every request is a new operation: a fresh entity id and a fresh stamp (the device's HLC,
-- (now_ms << 16) | counter, raised per push), so the server really applies each one rather
-- than answering "duplicate". cursor = 9000000000000, above any server sequence, so every
-- pull is empty and the reply stays small (with cursor 0 each reply would carry everything).
-- Tokens are cycled round-robin over the thread's devices.

local devices_file = os.getenv("BENCH_DEVICES") or "devices.txt"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
local ops_per_push = tonumber(os.getenv("BENCH_OPS") or "1")
local schema_version = assert(tonumber(os.getenv("BENCH_SCHEMA") or ""), "push.lua: BENCH_SCHEMA is not set")

local B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
local function b32(n, width)
  local t = {}
  for i = width, 1, -1 do
    local d = n % 32
    t[i] = B32:sub(d + 1, d + 1)
    n = (n - d) / 32
  end
  return table.concat(t)
end

-- main state: number the threads, keep them for done()
local threads = {}
local created = 0
function setup(thread)
  thread:set("tid", created)
  created = created + 1
  table.insert(threads, thread)
end

-- thread state
local devs, next_dev, seq, entity_prefix, influencer
accepted, duplicate, rejected, bad_status = 0, 0, 0, 0

function init(args)
  devs = {}
  local i = 0
  for line in io.lines(devices_file) do
    local tok, rep = line:match("^(%S+)%s+(%S+)$")
    if tok then
      if i % nthreads == tid then
        devs[#devs + 1] = { auth = "Bearer " .. tok, replica = rep, ms = 0, ctr = 0 }
      end
      i = i + 1
    end
  end
  assert(#devs > 0, "push.lua: no devices for thread " .. tostring(tid) .. " in " .. devices_file)
  next_dev = 1
  seq = 0
  math.randomseed(os.time() * 31 + tid * 7919)
  local r = {}
  for k = 1, 7 do local d = math.random(0, 31); r[k] = B32:sub(d + 1, d + 1) end
  -- entity ids: "7" + thread (2 digits) + 7 random digits + 16-digit counter = 26 digits
  entity_prefix = "7" .. b32(tid, 2) .. table.concat(r)
  influencer = "0" .. b32(tid, 2) .. table.concat(r) .. b32(0, 16)
end

local function stamp(d)
  local now = os.time() * 1000
  if now > d.ms then
    d.ms, d.ctr = now, 0
  else
    d.ctr = d.ctr + 1
    if d.ctr > 65535 then d.ms, d.ctr = d.ms + 1, 0 end
  end
  return string.format("%06x%06x%04x-%s", math.floor(d.ms / 16777216), d.ms % 16777216,
                       d.ctr, d.replica)
end

function request()
  local d = devs[next_dev]
  next_dev = next_dev % #devs + 1
  local ops = {}
  for k = 1, ops_per_push do
    seq = seq + 1
    ops[k] = '{"id":"' .. stamp(d) .. '","type":"create","kind":"interaction","entity":"' ..
             entity_prefix .. b32(seq, 16) .. '","actor":"","fields":[' ..
             '{"field":"influencer","value":{"type":"text","value":"' .. influencer .. '"}},' ..
             '{"field":"at","value":{"type":"int","value":' .. string.format("%d", d.ms) .. '}},' ..
             '{"field":"touchpoint","value":{"type":"text","value":"store"}},' ..
             '{"field":"department","value":{"type":"text","value":"retail"}}]}'
  end
  local body = '{"protocol":3,"schema_version":' .. schema_version .. ',"replica":"' .. d.replica ..
               '","cursor":9000000000000,"client_hlc":0,"page_limit":500,"ops":[' ..
               table.concat(ops, ",") .. ']}'
  return wrk.format("POST", nil,
                    { ["Authorization"] = d.auth, ["Content-Type"] = "application/json" }, body)
end

local function count(body, pat)
  local _, n = body:gsub(pat, "")
  return n
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    return
  end
  accepted = accepted + count(body, '"outcome": *"accepted"')
  duplicate = duplicate + count(body, '"outcome": *"duplicate"')
  rejected = rejected + count(body, '"outcome": *"rejected"')
end

function done(summary, latency, requests)
  local a, du, r, b = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + (t:get("accepted") or 0)
    du = du + (t:get("duplicate") or 0)
    r = r + (t:get("rejected") or 0)
    b = b + (t:get("bad_status") or 0)
  end
  io.write(string.format("push.lua: ops accepted=%d duplicate=%d rejected=%d; non-200 replies=%d\n",
                         a, du, r, b))
end
