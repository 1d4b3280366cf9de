-- KEYS[1] stream. ARGV: order key prefix, order ttl ms, then (id, chat) pairs of entries this consumer holds
-- (reclaimed from a dead consumer, or redelivered). Registers each in its chat's order set (no-op when
-- already there) and answers, per pair, 1 when that entry is now the head of its chat.
local stream = KEYS[1]
local out = {}
for i = 3, #ARGV, 2 do
  local id, chat = ARGV[i], ARGV[i + 1]
  local zkey = ARGV[1] .. chat
  local score, member = wq_member(id)
  redis.call('ZADD', zkey, 'NX', score, member)
  redis.call('PEXPIRE', zkey, ARGV[2])
  out[#out + 1] = (wq_head(stream, zkey) == member) and 1 or 0
end
return out
