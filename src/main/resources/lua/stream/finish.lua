-- KEYS[1] stream, KEYS[2] retries hash, then the keys of the route's finish call. ARGV: group, id, chat key
-- ('' = none), marker ttl s, number of markers m, m (key, value) pairs of markers to set (e.g. the send marker),
-- then the arguments of the route's finish call (none: no call). The call is wq_finished of the consumer's
-- EntryScripts (the send route's status and echo bookkeeping, lua/send/entry-hooks.lua).
-- The entry is done (sent, dead-lettered or deliberately skipped): in one atomic step acknowledge and delete
-- it, forget its retry count, leave its chat's order (and the registered set) and write the route's markers, so a marker exists
-- exactly when the entry is gone. Returns the chat's new head member, or false.
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
local m = tonumber(ARGV[5])
for i = 6, 5 + 2 * m, 2 do
  redis.call('SET', ARGV[i], ARGV[i + 1], 'EX', ARGV[4])
end
if #ARGV > 5 + 2 * m then
  local ck, ca = {}, {}
  for j = 3, #KEYS do ck[#ck + 1] = KEYS[j] end
  for j = 6 + 2 * m, #ARGV do ca[#ca + 1] = ARGV[j] end
  wq_finished(ck, ca)
end
local _, member = wq_member(ARGV[2])
redis.call('ZREM', KEYS[1] .. ':registered', member)
if ARGV[3] == '' then return false end
local zkey = KEYS[1] .. ':order:' .. ARGV[3]
redis.call('ZREM', zkey, member)
return wq_head(KEYS[1], zkey)
