-- Starts a new epoch for a topic whose head went back (a failover to a replica that lagged), only
-- if the head is still the one that was found behind: of several instances that find it, one
-- restarts and the others then read the new epoch. The ids of the lost events are never reused.
-- KEYS[1] head key   KEYS[2] log key
-- ARGV[1] the head found behind   ARGV[2] the new epoch   ARGV[3] head TTL (ms)
-- Returns the head after the call ('' when there is none).
local head = redis.call('GET', KEYS[1])
if head ~= ARGV[1] then
  return head or ''
end
local id = ARGV[2] .. '-0'
redis.call('SET', KEYS[1], id, 'PX', ARGV[3])
-- The old epoch's entries would mix into the new one's reads: a new epoch starts empty.
redis.call('DEL', KEYS[2])
return id
