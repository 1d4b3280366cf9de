-- KEYS: the streams involved. ARGV: order ttl ms, group, then triples (index into KEYS, entry id, chat key) of
-- entries a consumer holds: just read, reclaimed, or waiting for their turn.
-- Registers each entry (a no-op for entries the producer registered; entries written by the previous system,
-- or re-added by an admin tool, are registered here, when first held) and answers, per triple, 1 when the entry
-- may go now: it is the head of its chat's order set, and no earlier entry held by any consumer of the group
-- is still unregistered (its chat unknown: it might be this chat's), so two workers that read two unregistered
-- entries of one chat at the same moment still send them in order. An entry without a chat ('') is only
-- registered, and may go. An entry no longer in the stream (another worker took it over and finished it while this
-- one stalled) answers 2, gone, and is not registered again, so its holder drops it instead of waiting on it forever.
local out = {}
for i = 3, #ARGV, 3 do
  local stream = KEYS[tonumber(ARGV[i])]
  local id, chat = ARGV[i + 1], ARGV[i + 2]
  local score, member = wq_member(id)
  local rkey = stream .. ':registered'
  if #redis.call('XRANGE', stream, id, id) == 0 then
    out[#out + 1] = 2
  elseif chat == '' then
    redis.call('ZADD', rkey, 'NX', score, member)
    redis.call('PEXPIRE', rkey, ARGV[1])
    out[#out + 1] = 1
  else
    redis.call('ZADD', rkey, 'NX', score, member)
    redis.call('PEXPIRE', rkey, ARGV[1])
    local zkey = stream .. ':order:' .. chat
    redis.call('ZADD', zkey, 'NX', score, member)
    redis.call('PEXPIRE', zkey, ARGV[1])
    local go = (wq_head(stream, zkey) == member)
    if go then
      for _, p in ipairs(redis.call('XPENDING', stream, ARGV[2], '-', '(' .. id, 500)) do
        local _, m = wq_member(p[1])
        if not redis.call('ZSCORE', rkey, m) then go = false break end
      end
    end
    out[#out + 1] = go and 1 or 0
  end
end
return out
