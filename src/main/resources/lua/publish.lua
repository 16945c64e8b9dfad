-- Appends one event to a topic's log, atomically. One call = one Redis command from the hub.
-- KEYS[1] head key: "<epoch>-<sequence>" of the newest event; outlives the log (head TTL).
-- KEYS[2] log key:  list of "<id> <json>", newest first, trimmed to the retention size.
-- ARGV[1] epoch to start if the topic has no head   ARGV[2] event JSON
-- ARGV[3] retention (events)   ARGV[4] log TTL (ms)   ARGV[5] head TTL (ms)
-- ARGV[6] the topic's notification channel ('' for none)   ARGV[7] the topic's name
-- ARGV[8] largest event (bytes) carried inside the notification; larger ones are announced by id only
-- Idempotent publish (optional; presence.lua calls this as a function without them):
-- KEYS[3] the Idempotency-Key's key "<prefix>{topic}:idem:<key>", in the topic's slot, holding
--         "<body digest> <id>" of the first publish with that key
-- ARGV[9] SHA-256 of the request body (hex)   ARGV[10] how long the key is remembered (ms)
-- Returns the new event id; when KEYS[3] is already set, nothing is stored or announced and it
-- returns {the first publish's id, 1 if its digest is ARGV[9] else 0}.
if KEYS[3] then
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local space = string.find(seen, ' ', 1, true)
    local same = string.sub(seen, 1, space - 1) == ARGV[9]
    if same then
      -- A write after the first publish's in the replication stream, so that a WAIT sent after this
      -- retry (realtime.publish.min-replicas) counts only replicas that have the first publish too.
      redis.call('SET', KEYS[3], seen, 'KEEPTTL')
    end
    return {string.sub(seen, space + 1), same and 1 or 0}
  end
end
local head = redis.call('GET', KEYS[1])
local epoch, seq
if head then
  local dash = string.find(head, '-', 1, true)
  epoch = string.sub(head, 1, dash - 1)
  seq = tonumber(string.sub(head, dash + 1)) + 1
else
  -- No head: a new epoch. Entries left from an older epoch (the head was evicted) must not mix in.
  epoch = ARGV[1]
  seq = 1
  redis.call('DEL', KEYS[2])
end
local id = epoch .. '-' .. seq
redis.call('SET', KEYS[1], id, 'PX', ARGV[5])
redis.call('LPUSH', KEYS[2], id .. ' ' .. ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if KEYS[3] then
  redis.call('SET', KEYS[3], ARGV[9] .. ' ' .. id, 'PX', ARGV[10])
end
if ARGV[6] ~= '' then
  -- "<topic> <id> <json>" on the topic's own channel (in its slot): the instances serving the topic
  -- apply the event without reading the list. Only the list is the truth: a lost or oversized
  -- notification is caught up by a read. Sharded pub/sub (Redis 7) where the server has it, so on a
  -- cluster only the topic's shard carries it; else classic PUBLISH (instances then SUBSCRIBE).
  local message = ARGV[7] .. ' ' .. id
  if string.len(ARGV[2]) <= tonumber(ARGV[8]) then
    message = message .. ' ' .. ARGV[2]
  end
  local sharded = redis.pcall('SPUBLISH', ARGV[6], message)
  if type(sharded) == 'table' and sharded.err then
    redis.call('PUBLISH', ARGV[6], message)
  end
end
return id
