-- KEYS[1] bucket hash. ARGV: tokens per second, capacity.
-- Reserves one token and answers how many ms the caller must wait before using it. Tokens may go negative,
-- which queues reservations fairly across every worker sharing the key. Redis's clock is used, so worker
-- clock skew does not matter; Redis 7 replicates scripts by effect, so TIME is allowed before writes.
local rate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
if now > ts then tokens = math.min(cap, tokens + (now - ts) * rate / 1000) else now = ts end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) * 1000 / rate) + 60000)
if tokens >= 0 then return 0 end
return math.ceil(-tokens * 1000 / rate)
