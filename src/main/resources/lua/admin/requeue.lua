-- KEYS[1] stream, KEYS[2] retries hash, KEYS[2 + i] send marker of item i. ARGV: group, then (id, payload)
-- pairs. Reset-to-begin without the previous system's defects: an entry the group delivered and acknowledged
-- but that is still in the stream (skipped by an older reset, or left by the previous system) is appended
-- again as a new entry, unless its send marker says it was sent (then it is only removed). Pending entries
-- stay with their consumers, so nothing in flight is delivered twice; undelivered ones are delivered anyway.
-- Returns {requeued, already_sent, kept_pending, gone, undelivered}.
local function cmp(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  if am ~= bm then return am < bm and -1 or 1 end
  if as ~= bs then return as < bs and -1 or 1 end
  return 0
end
local last
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, lid
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then lid = g[i + 1] end
  end
  if name == ARGV[1] then last = lid end
end
if not last then return {0, 0, 0, 0, 0} end
local requeued, sent, pending, gone, undelivered = 0, 0, 0, 0, 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local marker = KEYS[2 + i / 2]
  if #redis.call('XRANGE', KEYS[1], id, id) == 0 then
    gone = gone + 1
  elseif #redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1) > 0 then
    pending = pending + 1
  elseif cmp(id, last) > 0 then
    undelivered = undelivered + 1
  elseif redis.call('EXISTS', marker) == 1 then
    redis.call('XDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    sent = sent + 1
  else
    redis.call('XADD', KEYS[1], '*', 'payload', ARGV[i + 1])
    redis.call('XDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    requeued = requeued + 1
  end
end
return {requeued, sent, pending, gone, undelivered}
