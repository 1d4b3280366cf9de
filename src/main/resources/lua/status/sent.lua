-- Evolution accepted the message (wqs_sent in lib.lua).
-- KEYS[1] status hash, KEYS[2] index key (evo id), KEYS[3] early updates hash, KEYS[4] callback outbox (optional).
-- ARGV: at (ISO), record ttl ms, evolution id ('' unknown), message_id, instance, to.
return wqs_sent(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
