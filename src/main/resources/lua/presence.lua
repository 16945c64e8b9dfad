-- Presence: who is viewing an entity, and the viewer_joined / viewer_left events that follow, in
-- one atomic step. `publish` (publish.lua as a function, prepended when the script is loaded)
-- appends each event to the entity's presence topic exactly as a publish would, so the log's order
-- is the order of the changes and a snapshot read with the head is exact at that head.
--
-- Per entity, all in the slot of the hash tag {<type>/<id>/presence} (KEYS[5i-4 .. 5i]):
--   viewers  ZSET viewer id -> its latest lease expiry (ms, Redis's clock)
--   leases   HASH viewer id -> "<holder> <expiry> <holder> <expiry> ..."; a holder is an
--            instance id (its open streams) or "api" (the HTTP API)
--   display  HASH viewer id -> the viewer's JSON object, {"id":...,"name":...}, and
--            "!<viewer id>" -> "1" while that JSON came from a verified viewer (a token's sub or
--            the app's PUT); then only another verified track replaces it ('!' is in no viewer id)
--   head, log  the presence topic's head and log (see publish.lua)
-- A viewer is present while its score is in the future. Every call first prunes its entities:
-- expired viewers are removed and told as viewer_left by whichever call removes them, so each is
-- told exactly once however many instances race.
--
-- ARGV[1] op: track | release | snapshot   ARGV[2] lease holder   ARGV[3] lease TTL (ms)
-- ARGV[4] event timestamp (ISO-8601)   ARGV[5] most viewers a snapshot lists
-- ARGV[6] number of entities; then per entity: type, id, publish.lua's 8 ARGV (the event JSON,
--   the 2nd, is filled in here), n, and n items: track: viewer id, viewer JSON, verified ('1' or
--   '0'); release: viewer id.
-- Returns per entity {count, changed_1 .. changed_n} (1 where that viewer joined or left);
-- snapshot (one entity): {head or '', count, viewer JSON ...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op, holder, ttl, timestamp, limit = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])

local function emit(e, action, viewer_json, count)
  e.publish_args[2] = '{"action":"' .. action .. '","viewer":' .. viewer_json .. ',"count":' .. count
    .. ',"entityType":"' .. e.type .. '","entityId":"' .. e.id .. '","channel":"presence","timestamp":"'
    .. timestamp .. '"}'
  publish({e.head, e.log}, e.publish_args)
end

-- The live leases of a viewer other than `except`'s, as a list of {holder, expiry}.
local function live_leases(encoded, except)
  local out = {}
  if encoded then
    for h, x in string.gmatch(encoded, '(%S+) (%S+)') do
      x = tonumber(x)
      if x > now and h ~= except then
        out[#out + 1] = {h, x}
      end
    end
  end
  return out
end

local function encode(leases)
  local parts = {}
  for i, l in ipairs(leases) do
    parts[i] = l[1] .. ' ' .. string.format('%.0f', l[2])
  end
  return table.concat(parts, ' ')
end

local function bare(viewer)
  return '{"id":"' .. viewer .. '"}'
end

local function forget(e, viewer)
  redis.call('ZREM', e.viewers, viewer)
  redis.call('HDEL', e.leases, viewer)
  redis.call('HDEL', e.display, viewer, '!' .. viewer)
end

local function prune(e)
  local gone = redis.call('ZRANGEBYSCORE', e.viewers, '-inf', now)
  if #gone == 0 then
    return
  end
  local json = {}
  for i, viewer in ipairs(gone) do
    json[i] = redis.call('HGET', e.display, viewer) or bare(viewer)
    forget(e, viewer)
  end
  local remaining = redis.call('ZCARD', e.viewers)
  for i = 1, #gone do
    emit(e, 'viewer_left', json[i], remaining + #gone - i)
  end
end

local function track(e, viewer, json, verified)
  local leases = live_leases(redis.call('HGET', e.leases, viewer), holder)
  local expiry = now + ttl
  leases[#leases + 1] = {holder, expiry}
  redis.call('HSET', e.leases, viewer, encode(leases))
  if verified == '1' then
    redis.call('HSET', e.display, viewer, json, '!' .. viewer, '1')
  elseif redis.call('HEXISTS', e.display, '!' .. viewer) == 0 then
    redis.call('HSET', e.display, viewer, json)
  else
    json = redis.call('HGET', e.display, viewer) or bare(viewer)
  end
  if redis.call('ZADD', e.viewers, 'GT', expiry, viewer) == 1 then
    emit(e, 'viewer_joined', json, redis.call('ZCARD', e.viewers))
    return 1
  end
  return 0
end

local function release(e, viewer)
  if not redis.call('ZSCORE', e.viewers, viewer) then
    return 0
  end
  local leases = live_leases(redis.call('HGET', e.leases, viewer), holder)
  if #leases > 0 then
    local latest = 0
    for _, l in ipairs(leases) do
      latest = math.max(latest, l[2])
    end
    redis.call('HSET', e.leases, viewer, encode(leases))
    redis.call('ZADD', e.viewers, latest, viewer)
    return 0
  end
  local json = redis.call('HGET', e.display, viewer) or bare(viewer)
  forget(e, viewer)
  emit(e, 'viewer_left', json, redis.call('ZCARD', e.viewers))
  return 1
end

local results = {}
local a = 7
for i = 1, tonumber(ARGV[6]) do
  local k = 5 * (i - 1)
  local e = {viewers = KEYS[k + 1], leases = KEYS[k + 2], display = KEYS[k + 3], head = KEYS[k + 4],
    log = KEYS[k + 5], type = ARGV[a], id = ARGV[a + 1], publish_args = {unpack(ARGV, a + 2, a + 9)}}
  local n = tonumber(ARGV[a + 10])
  a = a + 11
  prune(e)
  if op == 'snapshot' then
    local ids = redis.call('ZRANGE', e.viewers, 0, limit - 1, 'REV')
    local out = {redis.call('GET', e.head) or '', redis.call('ZCARD', e.viewers)}
    for _, viewer in ipairs(ids) do
      out[#out + 1] = redis.call('HGET', e.display, viewer) or bare(viewer)
    end
    return out
  end
  local out = {0}
  for j = 1, n do
    if op == 'track' then
      out[j + 1] = track(e, ARGV[a], ARGV[a + 1], ARGV[a + 2])
      a = a + 3
    else
      out[j + 1] = release(e, ARGV[a])
      a = a + 1
    end
  end
  out[1] = redis.call('ZCARD', e.viewers)
  if out[1] == 0 then
    redis.call('DEL', e.viewers, e.leases, e.display)
  elseif op == 'track' and n > 0 then
    -- Kept one TTL past the newest lease: long enough for any instance that knows the entity to
    -- prune it; an entity nobody knows any more is dropped without events (nobody is watching it).
    for _, key in ipairs({e.viewers, e.leases, e.display}) do
      redis.call('PEXPIRE', key, 2 * ttl)
    end
  end
  results[i] = out
end
return results
