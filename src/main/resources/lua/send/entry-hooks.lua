-- The send route's Redis work, run inside the stream engine's own scripts so that a sent message costs one
-- script call of its own (bench/send/README.md, "Redis cost"): wq_admit runs in lua/stream/heads.lua for each
-- entry just read that may go now, wq_finished in lua/stream/finish.lua when a sent entry is finished. The route
-- runs the same wq_admit itself (send/admit.lua) when the read's answer is missing or too old (SendAdmission).
-- Prepended after the order library and lua/status/lib.lua (SendEntryScripts). Every key is of one instance.

-- Before the POST. K: sent marker, status hash, expected echoes of the chat, then the opt-out key when A[10] is
-- '1', then the callback outbox when A[11] is '1'. A: message_id, instance, to, at (ISO), record ttl ms, echo
-- member, echo expiry (epoch ms), echo key ttl ms, '1' when this try's attempt is already counted, has opt-out,
-- has outbox, part ('k/n' of a long API message, whose status record is its message's; else ''). Returns 'sent' (the send marker exists: sent before), 'opted_out', 'cancelled', or 'go': the
-- message is claimed (status leaving, attempt counted) and its echo expected (OwnSends), as their own steps did.
local function wq_admit(K, A)
  if redis.call('EXISTS', K[1]) == 1 then return 'sent' end
  local n = 4
  if A[10] == '1' then
    if redis.call('EXISTS', K[n]) == 1 then return 'opted_out' end
    n = n + 1
  end
  local outbox = nil
  if A[11] == '1' then outbox = K[n] end
  if wqs_claim(K[2], outbox, A[1], A[2], A[3], A[4], A[5], A[9] ~= '1', A[12]) == 'cancelled' then return 'cancelled' end
  -- every expectation lives A[8] ms from its own start: the newest one decides the key's lifetime
  redis.call('ZADD', K[3], A[7], A[6])
  redis.call('PEXPIRE', K[3], A[8])
  return 'go'
end

-- After Evolution accepted the message, with the acknowledgement. K: status hash, index by Evolution id, early
-- updates, expected echoes of the chat, then the callback outbox when A[8] is '1'. A: at (ISO), record ttl ms,
-- Evolution id ('' unknown), message_id, instance, to, echo member, has outbox, part ('k/n' or ''). Status sent (wqs_sent), and the
-- expected echo is used up (its key.id is known as ours by the send route's markers from now on).
local function wq_finished(K, A)
  local outbox = nil
  if A[8] == '1' then outbox = K[5] end
  wqs_sent(K[1], K[2], K[3], outbox, A[1], A[2], A[3], A[4], A[5], A[6], A[9])
  redis.call('ZREM', K[4], A[7])
end
