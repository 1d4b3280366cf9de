-- The send route, right before the POST to Evolution, when the admission was not done with the read
-- (wqs_claim in lib.lua). KEYS[1] status hash, KEYS[2] callback outbox (optional).
-- ARGV: message_id, instance, to, at (ISO), record ttl ms. Returns 'cancelled' or 'go'.
return wqs_claim(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], true)
