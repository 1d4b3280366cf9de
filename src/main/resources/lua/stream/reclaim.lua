-- KEYS: streams. ARGV: group, consumer, min idle ms, count per stream.
-- Takes over entries idle longer than min idle (their consumer died or hung) on every stream in one round trip
-- (XAUTOCLAIM), with the attempt each will be: Redis's delivery count plus the retries counted in
-- <stream>:retries. Entries deleted meanwhile are dropped from the PEL by XAUTOCLAIM itself. A stream or group
-- that is missing is skipped. Returns {index into KEYS, id, fields, attempt} per entry taken.
local out = {}
for k, key in ipairs(KEYS) do
  local ok, res = pcall(redis.call, 'XAUTOCLAIM', key, ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
  if ok and res and res[2] then
    for _, e in ipairs(res[2]) do
      if e[2] then
        local p = redis.call('XPENDING', key, ARGV[1], e[1], e[1], 1)[1]
        local delivered = p and p[4] or 1
        local retries = tonumber(redis.call('HGET', key .. ':retries', e[1]) or '0')
        out[#out + 1] = {k, e[1], e[2], delivered + retries}
      end
    end
  end
end
return out
