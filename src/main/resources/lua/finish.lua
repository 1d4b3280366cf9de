-- KEYS[1] stream, KEYS[2] retries hash. ARGV: group, id, order key ('' = none), member.
-- The entry is done (sent, dead-lettered or deliberately ignored): acknowledge and delete it, forget its
-- retry count, leave its chat's order. Returns the chat's new head member, or false.
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
if ARGV[3] == '' then return false end
redis.call('ZREM', ARGV[3], ARGV[4])
return wq_head(KEYS[1], ARGV[3])
