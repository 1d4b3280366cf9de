-- KEYS[1] stream, KEYS[2] dead-letter stream, KEYS[3] retries hash. ARGV: group ('' when the stream has no
-- group), then (id, dead-letter payload) pairs.
-- Used by the resets: each entry that still exists and is not pending moves to the DLQ, XADD there and XDEL
-- here in one atomic step, so it is never in both and never in neither. Pending entries are in a worker's
-- hands (or will be reclaimed from a dead one) and stay. Returns {moved, kept_pending, gone}.
local moved, pending, gone = 0, 0, 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if #redis.call('XRANGE', KEYS[1], id, id) == 0 then
    gone = gone + 1
  elseif ARGV[1] ~= '' and #redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1) > 0 then
    pending = pending + 1
  else
    redis.call('XADD', KEYS[2], '*', 'payload', ARGV[i + 1])
    redis.call('XDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
    moved = moved + 1
  end
end
return {moved, pending, gone}
