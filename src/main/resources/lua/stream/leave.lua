-- KEYS: streams. ARGV: group, consumer, hand-over idle ms.
-- On a clean stop: on every stream where this consumer holds nothing, it leaves the group and its heartbeat, so
-- it is not counted as alive. Where it still holds entries (read but never started), their idle time is set to
-- the hand-over idle time (XCLAIM ... IDLE, same owner, JUSTID: no delivery counted), so another worker takes
-- them over on its next reclaim instead of waiting out the claim idle time, and without the takeover counting as an
-- attempt (restarts during an Evolution outage must not use attempts up: I5). Returns how many streams it left.
local left = 0
for _, key in ipairs(KEYS) do
  local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', key, ARGV[1])
  if ok then
    for _, c in ipairs(consumers) do
      local name, pending
      for i = 1, #c, 2 do
        if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] end
      end
      if name == ARGV[2] then
        if pending == 0 then
          redis.call('XGROUP', 'DELCONSUMER', key, ARGV[1], name)
          redis.call('ZREM', key .. ':consumers', name)
          left = left + 1
        else
          for _, p in ipairs(redis.call('XPENDING', key, ARGV[1], '-', '+', pending, name)) do
            redis.call('XCLAIM', key, ARGV[1], name, 0, p[1], 'IDLE', ARGV[3], 'JUSTID')
            -- the takeover's XAUTOCLAIM adds one delivery: a hand-over is no attempt, so it is taken back here
            redis.call('HINCRBY', key .. ':retries', p[1], -1)
          end
        end
      end
    end
  end
end
return left
