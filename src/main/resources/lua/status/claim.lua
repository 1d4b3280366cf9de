-- The send route, right before the POST to Evolution: a cancelled message is not sent; any other is marked as
-- leaving (a cancel now answers already_sent) and its attempt counted. A dead letter replayed by an operator is
-- queued again: the message, or for a long API message the part that failed (its other parts leave it failed).
-- KEYS[1] status hash, KEYS[2] callback outbox (optional).
-- ARGV: message_id, instance, to, at (ISO), record ttl ms, part ('k/n' of a long API message, else '').
-- Returns 'cancelled' or 'go'.
local cur = redis.call('HGET', KEYS[1], 'status')
if cur == 'cancelled' then return 'cancelled' end
if not cur then
  wqs_ensure(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
elseif cur == 'failed' then
  local failedPart = redis.call('HGET', KEYS[1], 'failed_part')
  if not failedPart or failedPart == ARGV[6] then
    redis.call('HSET', KEYS[1], 'status', 'queued', 'updated_at', ARGV[4])
    redis.call('HDEL', KEYS[1], 'failed_reason', 'failed_part')
    wqs_outbox(KEYS[2], KEYS[1], 'queued', ARGV[4], '')
  end
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'leaving', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 'go'
