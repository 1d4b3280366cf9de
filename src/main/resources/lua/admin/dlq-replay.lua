-- KEYS[1] send stream, KEYS[2] dead-letter stream, KEYS[2 + i] send marker of item i.
-- ARGV: WA_STREAM_MAXLEN, then (dead-letter id, stream payload) pairs.
-- Per entry, in one atomic step: XADD to the stream and XDEL from the DLQ, so it is never in both and never
-- in neither. The enqueue marker wa:msg:<id> is deliberately not consulted (the message was enqueued once
-- already); the send marker is: a message already sent stays in the DLQ and is reported, never sent twice.
-- A full stream stops the replay (nothing is trimmed). Returns one {status, new stream id} per item, status
-- one of replayed, missing, already_sent, stream_full.
local out = {}
local full = false
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local marker = KEYS[2 + i / 2]
  if full then
    out[#out + 1] = {'stream_full', ''}
  elseif #redis.call('XRANGE', KEYS[2], id, id) == 0 then
    out[#out + 1] = {'missing', ''}
  elseif redis.call('EXISTS', marker) == 1 then
    out[#out + 1] = {'already_sent', ''}
  elseif redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
    full = true
    out[#out + 1] = {'stream_full', ''}
  else
    local new = redis.call('XADD', KEYS[1], '*', 'payload', ARGV[i + 1])
    redis.call('XDEL', KEYS[2], id)
    out[#out + 1] = {'replayed', new}
  end
end
return out
