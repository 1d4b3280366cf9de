-- KEYS[1] stream. ARGV: group, target consumer, min idle ms, cursor, count.
-- One XAUTOCLAIM page to a live consumer (JUSTID: an operator's claim uses up no delivery attempt). Each
-- claimed entry's idle time is then set back to min idle, so the target's next housekeeping claim, which
-- takes entries idle that long, processes it at once (the previous endpoint reset it to 0, so the worker
-- waited a whole claim interval more). Returns {next cursor, claimed, deleted}.
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
for _, id in ipairs(r[2]) do
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'IDLE', ARGV[3], 'JUSTID')
end
return {r[1], #r[2], #r[3]}
