-- KEYS[1] stream. ARGV: group.
-- Destroy-recreate without losing anything: the new group starts where the old one had delivered up to, and
-- every pending entry is put back with its consumer, idle time and delivery count (XCLAIM ... FORCE), so
-- entries in flight are neither lost nor delivered twice. Returns {1, restored, pending before} or {0, 0, 0}
-- when the group did not exist.
local last
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, lid
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then lid = g[i + 1] end
  end
  if name == ARGV[1] then last = lid end
end
if not last then return {0, 0, 0} end
local pel = {}
local start = '-'
while true do
  local page = redis.call('XPENDING', KEYS[1], ARGV[1], start, '+', 1000)
  for _, p in ipairs(page) do pel[#pel + 1] = p end
  if #page < 1000 then break end
  start = '(' .. page[#page][1]
end
redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1])
redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], last)
local restored = 0
for _, p in ipairs(pel) do
  local r = redis.call('XCLAIM', KEYS[1], ARGV[1], p[2], 0, p[1], 'IDLE', p[3], 'RETRYCOUNT', p[4], 'FORCE', 'JUSTID')
  if #r > 0 then restored = restored + 1 end
end
return {1, restored, #pel}
