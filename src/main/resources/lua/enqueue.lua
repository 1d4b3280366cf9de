-- KEYS[1] stream, KEYS[2] enqueue idempotency key (wa:msg:<id>). ARGV: payload, max undelivered, ttl s.
-- Never trims: a full stream refuses the new entry instead of dropping an undelivered one.
if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate', ''} end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[2]) then return {'full', ''} end
local id = redis.call('XADD', KEYS[1], '*', 'payload', ARGV[1])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
return {'queued', id}
