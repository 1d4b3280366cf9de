-- KEYS: streams. ARGV: group, consumer.
-- Creates the group on every stream that lacks it (reading from the start, so nothing already in the stream is
-- abandoned; MKSTREAM for a stream not written yet) and makes the consumer visible before its first delivery.
-- Done in Lua because Redisson retries a BUSYGROUP reply for 5 s (CAMEL_NOTES §3). Returns how many groups
-- were created (after Redis lost its data, or for a new instance).
local created = 0
for _, key in ipairs(KEYS) do
  local ok = redis.pcall('XGROUP', 'CREATE', key, ARGV[1], '0', 'MKSTREAM')
  if type(ok) ~= 'table' or not ok.err then
    created = created + 1
    -- a new group delivers from the start again: heads.lua's record of registered pending entries is void
    redis.call('DEL', key .. ':registered:upto:' .. ARGV[1])
  end
  redis.call('XGROUP', 'CREATECONSUMER', key, ARGV[1], ARGV[2])
end
return created
