-- DELETE /api/messages/{id}: a message still scheduled or queued (not yet handed to Evolution) is cancelled and
-- leaves wa:<inst>:scheduled; the send route skips a cancelled entry already in the stream.
-- KEYS[1] status hash, KEYS[2] scheduled zset, KEYS[3] callback outbox (optional). ARGV: message_id, at (ISO), ttl ms.
-- Returns 'unknown', 'cancelled', 'already_sent', or the final status it has ('failed', 'skipped').
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return 'unknown' end
if cur == 'cancelled' then return 'cancelled' end
if (cur == 'scheduled' or cur == 'queued') and redis.call('HGET', KEYS[1], 'leaving') ~= '1' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[1], 'text')
  wqs_change(KEYS[1], KEYS[3], 'cancelled', ARGV[2], '', ARGV[3])
  return 'cancelled'
end
if cur == 'failed' or cur == 'skipped' then return cur end
return 'already_sent'
