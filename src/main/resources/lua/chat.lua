-- KEYS[1] stream. ARGV: group, order field, then ids. The chat hash of each entry (reads the payload once);
-- '' for entries without a usable chat. Used for entries reclaimed by XAUTOCLAIM.
local out = {}
for i = 3, #ARGV do
  local e = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])[1]
  if e then out[#out + 1] = wq_chat(e[2], ARGV[2]) else out[#out + 1] = '' end
end
return out
