-- Evolution's messages.update for one of our sends: delivered or read, matched through the index Evolution id ->
-- status record written when the send was recorded. Before that (the update overtook the send's answer) it is kept
-- in the early-updates hash and applied by sent.lua. The record key comes from the index, so it carries the same
-- prefix (and hash tag) as KEYS[1].
-- KEYS[1] index key, KEYS[2] early updates hash, KEYS[3] callback outbox (optional).
-- ARGV: status (delivered|read), at (ISO), record ttl ms, early ttl ms. Returns 'applied', 'unchanged' or 'early'.
local hash = redis.call('GET', KEYS[1])
if not hash then
  redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return 'early'
end
if wqs_change(hash, KEYS[3], ARGV[1], ARGV[2], '', ARGV[3]) == 1 then return 'applied' end
return 'unchanged'
