-- One status change (queued after a scheduled message moved, skipped, failed), creating the record of a message
-- first seen by the send route. KEYS[1] status hash, KEYS[2] callback outbox (optional).
-- ARGV: status, at (ISO), reason ('' none), record ttl ms, message_id, instance, to ('' : do not create),
-- part ('k/n' of a long API message whose part k failed; optional).
-- Returns 1 when the status changed, else 0.
if ARGV[7] ~= '' then wqs_ensure(KEYS[1], ARGV[5], ARGV[6], ARGV[7], ARGV[2], ARGV[4]) end
local changed = wqs_change(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if changed == 1 and ARGV[8] and ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'failed_part', ARGV[8]) end
return changed
