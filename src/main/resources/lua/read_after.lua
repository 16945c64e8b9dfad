-- Reads a topic's head and the events after a position, atomically.
-- KEYS[1] head key   KEYS[2] log key
-- ARGV[1] epoch of the position ('' for none)   ARGV[2] its sequence   ARGV[3] retention (events)
-- Returns {} when the topic has no head, else {head, newest entry, ..., oldest entry}: every
-- retained entry after the position when its epoch is the head's, otherwise every retained entry.
local head = redis.call('GET', KEYS[1])
if not head then
  return {}
end
local n = tonumber(ARGV[3])
local dash = string.find(head, '-', 1, true)
if string.sub(head, 1, dash - 1) == ARGV[1] then
  local behind = tonumber(string.sub(head, dash + 1)) - tonumber(ARGV[2])
  if behind <= 0 then
    return {head}
  end
  if behind < n then
    n = behind
  end
end
local entries = redis.call('LRANGE', KEYS[2], 0, n - 1)
table.insert(entries, 1, head)
return entries
