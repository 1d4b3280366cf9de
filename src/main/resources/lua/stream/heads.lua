-- KEYS: the streams involved, and the keys of the admissions. ARGV: order ttl ms, group, then per entry a consumer
-- holds (just read, reclaimed, or waiting for their turn): index into KEYS of its stream, entry id, chat key, then
-- nk and na, nk indexes into KEYS and na arguments of its admission (0 0: none).
-- Registers each entry (a no-op for entries the producer registered; entries written by the previous system,
-- or re-added by an admin tool, are registered here, when first held) and answers, per entry, 1 when the entry
-- may go now: it is the head of its chat's order set, and no earlier entry held by any consumer of the group
-- is still unregistered (its chat unknown: it might be this chat's), so two workers that read two unregistered
-- entries of one chat at the same moment still send them in order. An entry without a chat ('') is only
-- registered, and may go. An entry no longer in the stream (another worker took it over and finished it while this
-- one stalled) answers 2, gone, and is not registered again, so its holder drops it instead of waiting on it forever.
-- An entry that may go and has an admission answers {1, wq_admit(its keys, its arguments)} instead of 1: the
-- route's own checks before its send, done here, while the entry is the head of its chat (so no earlier entry of
-- its chat can still be sent and mark it), in the same step (wq_admit comes from the consumer's EntryScripts).

-- True when the entry `id` might still wait behind an unregistered earlier entry: some entry of the group's
-- PEL with a lower id is not in the registered set. <stream>:registered:upto:<group> remembers an id below which
-- every pending entry was found registered, so each pending entry is looked at about once, not once per later
-- entry (the check was 300 commands per message at 300 entries held: bench/send/README.md). It stays true: an
-- entry stays registered while pending (finish.lua removes both together), and an entry that becomes pending
-- later has an id above the group's last delivered id, which is at least every id stored here (only ids of
-- pending entries are). ensure-groups.lua deletes it when it creates the group anew.
local function wq_waits_for_unregistered(stream, rkey, id)
  local ukey = stream .. ':registered:upto:' .. ARGV[2]
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  ms, seq = tonumber(ms), tonumber(seq)
  local from = '-'
  local upto = redis.call('GET', ukey)
  if upto then
    local ums, useq = string.match(upto, '^(%d+)-(%d+)$')
    ums, useq = tonumber(ums), tonumber(useq)
    if ms < ums or (ms == ums and seq <= useq) then return false end
    from = upto
  end
  while true do
    local page = redis.call('XPENDING', stream, ARGV[2], from, '(' .. id, 500)
    for _, p in ipairs(page) do
      local _, m = wq_member(p[1])
      if not redis.call('ZSCORE', rkey, m) then return true end
    end
    if #page < 500 then break end
    from = '(' .. page[#page][1]
  end
  redis.call('SET', ukey, id, 'PX', ARGV[1])
  return false
end

local out = {}
local i = 3
while i <= #ARGV do
  local stream = KEYS[tonumber(ARGV[i])]
  local id, chat = ARGV[i + 1], ARGV[i + 2]
  local nk, na = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local ak, aa = {}, {}
  for j = 1, nk do ak[j] = KEYS[tonumber(ARGV[i + 4 + j])] end
  for j = 1, na do aa[j] = ARGV[i + 4 + nk + j] end
  i = i + 5 + nk + na
  local admit = nk + na > 0
  local score, member = wq_member(id)
  local rkey = stream .. ':registered'
  if #redis.call('XRANGE', stream, id, id) == 0 then
    out[#out + 1] = 2
  elseif chat == '' then
    redis.call('ZADD', rkey, 'NX', score, member)
    redis.call('PEXPIRE', rkey, ARGV[1])
    if admit then out[#out + 1] = {1, wq_admit(ak, aa)} else out[#out + 1] = 1 end
  else
    redis.call('ZADD', rkey, 'NX', score, member)
    redis.call('PEXPIRE', rkey, ARGV[1])
    local zkey = stream .. ':order:' .. chat
    redis.call('ZADD', zkey, 'NX', score, member)
    redis.call('PEXPIRE', zkey, ARGV[1])
    local go = (wq_head(stream, zkey) == member) and not wq_waits_for_unregistered(stream, rkey, id)
    if go and admit then
      out[#out + 1] = {1, wq_admit(ak, aa)}
    else
      out[#out + 1] = go and 1 or 0
    end
  end
end
return out
