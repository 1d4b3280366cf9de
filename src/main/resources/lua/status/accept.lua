-- POST /api/messages: the message's record and its place in wa:<inst>:scheduled (score = due ms; an immediate
-- message is due now and is moved into the send stream right away), and the idempotency_key, in one step.
-- KEYS[1] status hash, KEYS[2] scheduled zset, KEYS[3] callback outbox (written only when ARGV[8] is '1'),
-- KEYS[4] idempotency key (optional).
-- ARGV: message_id, status (queued|scheduled), due ms, at (ISO), record ttl ms, idempotency ttl s, request hash,
-- callbacks ('1'|'0'), then field/value pairs of the record.
-- Returns {'accepted', ''} or {'existing', '<message_id>\n<request hash>'} (the key was used within 24 h).
if KEYS[4] then
  local prev = redis.call('GET', KEYS[4])
  if prev then return {'existing', prev} end
end
local fields = {}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], 'message_id', ARGV[1], 'status', ARGV[2], 'created_at', ARGV[4], 'updated_at', ARGV[4],
  'attempts', '0', unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if KEYS[4] then redis.call('SET', KEYS[4], ARGV[1] .. '\n' .. ARGV[7], 'EX', ARGV[6]) end
if ARGV[8] == '1' then wqs_outbox(KEYS[3], KEYS[1], ARGV[2], ARGV[4], '') end
return {'accepted', ''}
