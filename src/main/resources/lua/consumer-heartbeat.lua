-- KEYS[1] stream. ARGV: group, consumer.
-- Marks a running consumer as seen. On Redis 7.0 an XREADGROUP '>' that finds nothing does not refresh the
-- consumer's idle time, so an idle but healthy worker would look dead. A read of the consumer's own history
-- does refresh it; done only while the consumer holds nothing (checked in this same atomic step), because a
-- history read would count one more delivery of an entry it holds (those are refreshed by its housekeeping).
-- Never creates the stream or the group. Returns 1 when the consumer was marked.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local found = false
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  for i = 1, #g, 2 do
    if g[i] == 'name' and g[i + 1] == ARGV[1] then found = true end
  end
end
if not found then return 0 end
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '0')
return 1
