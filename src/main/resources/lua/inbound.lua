-- KEYS[1] de-duplication key wa:<inst>:dedupe:<key.id>, KEYS[2] inbound stream wa:<inst>:inbound.
-- ARGV: payload, dedupe ttl s, max undelivered entries.
-- SET NX then XADD in one atomic step: the marker exists exactly when the entry was added, so a request that
-- failed leaves nothing behind and Evolution's retry is accepted, never taken for a duplicate.
if redis.call('EXISTS', KEYS[1]) == 1 then return {'duplicate', ''} end
if redis.call('XLEN', KEYS[2]) >= tonumber(ARGV[3]) then return {'full', ''} end
redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2])
local id = redis.pcall('XADD', KEYS[2], '*', 'payload', ARGV[1])
if type(id) == 'table' and id.err then
  redis.call('DEL', KEYS[1])
  return redis.error_reply(id.err)
end
return {'accepted', id}
