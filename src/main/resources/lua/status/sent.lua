-- Evolution accepted the message: status sent with Evolution's id, the index Evolution id -> record, and any
-- delivery update that came before this (messages.update can overtake the send's answer) applied now. A part of a
-- long API message ('k/n') is only counted until every part was sent; the last one sent makes the message sent, and
-- its Evolution id is the one whose delivery and read are reported (WhatsApp delivers a chat's messages in order).
-- KEYS[1] status hash, KEYS[2] index key (evo id), KEYS[3] early updates hash, KEYS[4] callback outbox (optional).
-- ARGV: at (ISO), record ttl ms, evolution id ('' unknown), message_id, instance, to, part ('k/n' or '').
local outbox = KEYS[4]
wqs_ensure(KEYS[1], ARGV[4], ARGV[5], ARGV[6], ARGV[1], ARGV[2])
if ARGV[7] and ARGV[7] ~= '' then
  local slash = string.find(ARGV[7], '/', 1, true)
  local k, n = string.sub(ARGV[7], 1, slash - 1), tonumber(string.sub(ARGV[7], slash + 1))
  redis.call('HSET', KEYS[1], 'sent_part_' .. k, '1')
  for i = 1, n do
    if redis.call('HEXISTS', KEYS[1], 'sent_part_' .. i) == 0 then return 0 end
  end
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'evolution_id', ARGV[3]) end
redis.call('HDEL', KEYS[1], 'text')
local changed = wqs_change(KEYS[1], outbox, 'sent', ARGV[1], '', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[2], KEYS[1], 'PX', ARGV[2])
  local early = redis.call('HMGET', KEYS[3], 'delivered', 'read')
  if early[1] then wqs_change(KEYS[1], outbox, 'delivered', early[1], '', ARGV[2]) end
  if early[2] then wqs_change(KEYS[1], outbox, 'read', early[2], '', ARGV[2]) end
  redis.call('DEL', KEYS[3])
end
return changed
