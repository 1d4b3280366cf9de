-- Shared by the status scripts (prepended, after the stream order library, by MessageStatuses). A message's status
-- record is the hash wa:<inst>:status:<id> (DESIGN §9). A status only moves forward (scheduled < queued < sent <
-- delivered < read); failed, cancelled and skipped are final. Each change is appended, in the same step, to the
-- instance's callback outbox (a stream read by the status-callback route) when one is given, registered in its
-- message's own order lane (chat key = sha1 of the message id) by wq_add_ordered, as lua/stream/add.lua adds, so
-- the callbacks of one message leave in order.
local WQS_RANK = {scheduled = 1, queued = 2, sent = 3, delivered = 4, read = 5, failed = 9, cancelled = 9, skipped = 9}
-- the order sets' lifetime, as StreamStore.ORDER_TTL_MS
local WQS_ORDER_TTL_MS = 172800000

local function wqs_outbox(outbox, hash, status, at, reason)
  if not outbox then return end
  local f = redis.call('HMGET', hash, 'message_id', 'instance', 'evolution_id', 'metadata')
  local body = {message_id = f[1], instance = f[2], status = status, at = at}
  if reason and reason ~= '' then body.reason = reason end
  if f[3] and f[3] ~= '' then body.evolution_id = f[3] end
  local json = cjson.encode(body)
  if f[4] and f[4] ~= '' and f[4] ~= '{}' then
    -- the client's metadata exactly as it was validated and stored (JSON text), not re-encoded by cjson
    json = string.sub(json, 1, -2) .. ',"metadata":' .. f[4] .. '}'
  end
  local chat = redis.sha1hex(f[1] or hash)
  wq_add_ordered(outbox, {'payload', json, 'chat', chat}, chat, WQS_ORDER_TTL_MS)
end

-- A record for a message first seen by the send route (an AI reply, or an entry of the previous system).
local function wqs_ensure(hash, id, instance, to, at, ttl)
  if redis.call('EXISTS', hash) == 1 then return false end
  redis.call('HSET', hash, 'message_id', id, 'instance', instance, 'to', to, 'status', 'queued', 'created_at', at,
    'attempts', '0')
  redis.call('PEXPIRE', hash, ttl)
  return true
end

-- Moves the record to `status` when that is forward; returns 1 when it changed, 0 when not (or no record).
local function wqs_change(hash, outbox, status, at, reason, ttl)
  local cur = redis.call('HGET', hash, 'status')
  if not cur then return 0 end
  local rc, rn = WQS_RANK[cur] or 0, WQS_RANK[status]
  if rc == 9 or (rn ~= 9 and rn <= rc) then return 0 end
  local fields = {'status', status, 'updated_at', at}
  if status == 'sent' or status == 'delivered' or status == 'read' then
    fields[#fields + 1] = status .. '_at'
    fields[#fields + 1] = at
  end
  if reason and reason ~= '' then
    fields[#fields + 1] = 'failed_reason'
    fields[#fields + 1] = reason
  end
  redis.call('HSET', hash, unpack(fields))
  redis.call('PEXPIRE', hash, ttl)
  wqs_outbox(outbox, hash, status, at, reason)
  return 1
end

-- The send route, right before the POST to Evolution (the send route's admission in
-- lua/send/entry-hooks.lua): a cancelled message is not sent; any other is marked as leaving (a cancel now answers
-- already_sent) and, when `count` is true, its attempt counted. A dead letter replayed by an operator is queued
-- again: the message, or for a long API message (part 'k/n', else '') the part that failed, whose other parts
-- leave it failed. Returns 'cancelled' or 'go'.
local function wqs_claim(hash, outbox, id, instance, to, at, ttl, count, part)
  local cur = redis.call('HGET', hash, 'status')
  if cur == 'cancelled' then return 'cancelled' end
  if not cur then
    -- wqs_ensure's record, claimed, in one write
    redis.call('HSET', hash, 'message_id', id, 'instance', instance, 'to', to, 'status', 'queued', 'created_at', at,
      'attempts', count and '1' or '0', 'leaving', '1')
    redis.call('PEXPIRE', hash, ttl)
    return 'go'
  elseif cur == 'failed' then
    local failedPart = redis.call('HGET', hash, 'failed_part')
    if not failedPart or failedPart == part then
      redis.call('HSET', hash, 'status', 'queued', 'updated_at', at)
      redis.call('HDEL', hash, 'failed_reason', 'failed_part')
      wqs_outbox(outbox, hash, 'queued', at, '')
    end
  end
  if count then redis.call('HINCRBY', hash, 'attempts', 1) end
  redis.call('HSET', hash, 'leaving', '1')
  redis.call('PEXPIRE', hash, ttl)
  return 'go'
end

-- Evolution accepted the message (the send route's finish in lua/send/entry-hooks.lua): status sent
-- with Evolution's id, the index Evolution id -> record, and any delivery update that came before this
-- (messages.update can overtake the send's answer) applied now. evo '' = Evolution gave no id. A part of a long
-- API message (part 'k/n', else '') is only counted until every part was sent; the last one sent makes the message
-- sent, and its Evolution id is the one whose delivery and read are reported (WhatsApp delivers a chat's messages
-- in order).
local function wqs_sent(hash, index, early, outbox, at, ttl, evo, id, instance, to, part)
  wqs_ensure(hash, id, instance, to, at, ttl)
  if part and part ~= '' then
    local slash = string.find(part, '/', 1, true)
    redis.call('HSET', hash, 'sent_part_' .. string.sub(part, 1, slash - 1), '1')
    for i = 1, tonumber(string.sub(part, slash + 1)) do
      if redis.call('HEXISTS', hash, 'sent_part_' .. i) == 0 then return 0 end
    end
  end
  if evo ~= '' then redis.call('HSET', hash, 'evolution_id', evo) end
  redis.call('HDEL', hash, 'text')
  local changed = wqs_change(hash, outbox, 'sent', at, '', ttl)
  if evo ~= '' then
    redis.call('SET', index, hash, 'PX', ttl)
    local e = redis.call('HMGET', early, 'delivered', 'read')
    if e[1] then wqs_change(hash, outbox, 'delivered', e[1], '', ttl) end
    if e[2] then wqs_change(hash, outbox, 'read', e[2], '', ttl) end
    if e[1] or e[2] then redis.call('DEL', early) end
  end
  return changed
end
