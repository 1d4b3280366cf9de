-- KEYS: streams. ARGV: group, this consumer, now ms, dead after ms.
-- Removes our stopped consumers (names starting wq-, not this one) that hold nothing and whose heartbeat in
-- <stream>:consumers is older than dead-after, on every stream in one round trip, so consumer counts tell the
-- truth (the previous system's count only grew). Other software's consumers are left alone. Returns the names.
local removed = {}
local now, dead = tonumber(ARGV[3]), tonumber(ARGV[4])
for _, key in ipairs(KEYS) do
  local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', key, ARGV[1])
  if ok then
    for _, c in ipairs(consumers) do
      local name, pending
      for i = 1, #c, 2 do
        if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] end
      end
      if name and pending == 0 and name ~= ARGV[2] and string.sub(name, 1, 3) == 'wq-' then
        local beat = redis.call('ZSCORE', key .. ':consumers', name)
        if not beat or now - tonumber(beat) > dead then
          redis.call('XGROUP', 'DELCONSUMER', key, ARGV[1], name)
          redis.call('ZREM', key .. ':consumers', name)
          removed[#removed + 1] = name
        end
      end
    end
  end
end
return removed
