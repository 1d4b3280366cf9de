-- The one add-once append (the redis-stream producer, replies, inbound events, replays of fresh messages).
-- KEYS[1] stream, KEYS[2] add-once key (may be absent). ARGV: payload, max undelivered entries, add-once ttl s,
-- chat key ('' = none), order ttl ms.
-- In one atomic step: refuse a duplicate, refuse when full (never trims an undelivered entry), XADD with the
-- chat field, register the entry (<stream>:registered) and in its chat's order set, set the add-once marker. A failed call leaves nothing.
-- Returns {'added', id}, {'duplicate', ''} or {'full', ''}.
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate', ''} end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[2]) then return {'full', ''} end
local id
if ARGV[4] ~= '' then
  id = wq_add_ordered(KEYS[1], {'payload', ARGV[1], 'chat', ARGV[4]}, ARGV[4], ARGV[5])
else
  id = redis.call('XADD', KEYS[1], '*', 'payload', ARGV[1])
end
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
return {'added', id}
