-- A message joins its chat's burst (WA_DEBOUNCE_MS, DESIGN §10). KEYS[1] the due set (member = chat key, score =
-- due epoch ms), KEYS[2] the chat's burst hash, KEYS[3] the message's burst-member marker.
-- ARGV: chat key, inbound payload, window ms, cap ms, marker ttl s, when the webhook received it (epoch ms, 0: unknown).
-- In one atomic step: a message already taken (a redelivered event) is not taken again; else it is appended as field
-- n of the burst, and the burst is due one window after this message arrived, but never later than the cap after the
-- burst's first message arrived. Arrival, not this step's time, so a reply step that lags behind (a backlog, a start)
-- neither merges messages that came far apart nor holds a patient past the cap; an arrival in Redis's future (a
-- web process's clock ahead) counts as now.
-- Returns the burst's size with this message, or 0 when it was already taken.
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[5]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = tonumber(ARGV[6])
if at <= 0 or at > now then at = now end
local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
if n == 1 then redis.call('HSET', KEYS[2], 'first', at) end
redis.call('HSET', KEYS[2], tostring(n), ARGV[2])
local first = tonumber(redis.call('HGET', KEYS[2], 'first'))
redis.call('ZADD', KEYS[1], math.min(at + tonumber(ARGV[3]), first + tonumber(ARGV[4])), ARGV[1])
return n
