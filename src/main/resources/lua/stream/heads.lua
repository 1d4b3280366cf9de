-- KEYS: the streams involved. ARGV: order ttl ms, then triples (index into KEYS, entry id, chat key) of
-- entries a consumer holds: just read, reclaimed, or waiting for their turn.
-- Registers each in its chat's order set (a no-op for entries the producer registered; entries written by
-- the previous system, or re-added by an admin tool, are registered here) and answers, per triple, 1 when
-- that entry is now the head of its chat.
local out = {}
for i = 2, #ARGV, 3 do
  local stream = KEYS[tonumber(ARGV[i])]
  local id, chat = ARGV[i + 1], ARGV[i + 2]
  local zkey = stream .. ':order:' .. chat
  local score, member = wq_member(id)
  redis.call('ZADD', zkey, 'NX', score, member)
  redis.call('PEXPIRE', zkey, ARGV[1])
  out[#out + 1] = (wq_head(stream, zkey) == member) and 1 or 0
end
return out
