-- Due bursts back onto the inbound stream, one entry each (WA_DEBOUNCE_MS, DESIGN §10). Prepended: the order library
-- and lua/stream/add.lua as wq_stream_add(KEYS, ARGV) (LuaScripts.withStreamAdd), so the entry is added exactly as
-- every other inbound entry. KEYS[1] the due set, KEYS[2] the inbound stream.
-- ARGV: burst key prefix (completed by the chat key), max undelivered entries, order ttl ms, most bursts per call.
-- Each due burst, in one atomic step with its removal: one entry whose payload is the last message's, with the whole
-- burst in order under "burst" ({"burst":[p1,…,pn], <fields of pn>}), in the chat's order. However many web
-- processes call this, a burst is added once: whoever comes second finds it gone. A full stream keeps the burst.
-- Returns {bursts added, messages in them, 'full' or ''}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bursts, messages = 0, 0
for _, chat in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))) do
  local burst = ARGV[1] .. chat
  local n = tonumber(redis.call('HGET', burst, 'n') or '0')
  if n > 0 then
    local fields = {}
    for i = 1, n do fields[i] = tostring(i) end
    local parts = redis.call('HMGET', burst, unpack(fields))
    local last = parts[n]
    if string.sub(last, 1, 1) ~= '{' then return redis.error_reply('burst ' .. chat .. ': payload is not a JSON object') end
    local payload = '{"burst":[' .. table.concat(parts, ',') .. '],' .. string.sub(last, 2)
    local added = wq_stream_add({KEYS[2]}, {payload, ARGV[2], '0', chat, ARGV[3]})
    if added[1] == 'full' then return {bursts, messages, 'full'} end
    bursts = bursts + 1
    messages = messages + n
  end
  redis.call('DEL', burst)
  redis.call('ZREM', KEYS[1], chat)
end
return {bursts, messages, ''}
