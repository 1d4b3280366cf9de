-- KEYS: streams. ARGV: group, consumer.
-- On a clean stop: on every stream where this consumer holds nothing, it leaves the group and its heartbeat, so
-- it is not counted as alive; where it still holds entries it stays, for another worker to take them over.
-- Returns how many streams it left.
local left = 0
for _, key in ipairs(KEYS) do
  local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', key, ARGV[1])
  if ok then
    for _, c in ipairs(consumers) do
      local name, pending
      for i = 1, #c, 2 do
        if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] end
      end
      if name == ARGV[2] and pending == 0 then
        redis.call('XGROUP', 'DELCONSUMER', key, ARGV[1], name)
        redis.call('ZREM', key .. ':consumers', name)
        left = left + 1
      end
    end
  end
end
return left
