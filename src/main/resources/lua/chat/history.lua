-- KEYS[1] a chat's history list. ARGV: turn id (the inbound key.id), user turn JSON, assistant turn JSON,
-- entries kept, ttl s. Appends the exchange once: a redelivered inbound event finds its id and adds nothing.
local keep = tonumber(ARGV[4])
for _, item in ipairs(redis.call('LRANGE', KEYS[1], -keep, -1)) do
  local ok, turn = pcall(cjson.decode, item)
  if ok and type(turn) == 'table' and turn['id'] == ARGV[1] then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[2], ARGV[3])
redis.call('LTRIM', KEYS[1], -keep, -1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
