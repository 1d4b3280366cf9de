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

-- The first pending entry of the group at or after <stream>:registered:upto:<group> that is not registered, or
-- false when every pending entry there is registered; an entry with a higher id might still wait behind it. The
-- key remembers an id below which every pending entry was found registered, so each pending entry is looked at
-- about once, not once per later entry (that was 300 commands inside scripts per message at 300 entries held:
-- bench/send/README.md). It stays true: an entry stays registered while pending (finish.lua removes both
-- together), and an entry that becomes pending later has an id above the group's last delivered id, which is at
-- least every id stored here (only ids of pending entries are). ensure-groups.lua deletes it when it creates the
-- group anew. Asked once per stream per call, after every entry of the call is registered.
local function wq_first_unregistered(stream, rkey)
  local ukey = stream .. ':registered:upto:' .. ARGV[2]
  local from = redis.call('GET', ukey) or '-'
  local last = nil
  while true do
    local page = redis.call('XPENDING', stream, ARGV[2], from, '+', 500)
    for _, p in ipairs(page) do
      local _, m = wq_member(p[1])
      if not redis.call('ZSCORE', rkey, m) then
        redis.call('SET', ukey, p[1], 'PX', ARGV[1])
        return p[1]
      end
      last = p[1]
    end
    if #page < 500 then break end
    from = '(' .. last
  end
  if last then redis.call('SET', ukey, last, 'PX', ARGV[1]) end
  return false
end

-- a < b for stream ids
local function wq_id_below(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  ams, bms = tonumber(ams), tonumber(bms)
  return ams < bms or (ams == bms and tonumber(aseq) < tonumber(bseq))
end

-- first pass: read the arguments, answer gone for entries no longer in the stream, register the others
local entries = {}
local i = 3
while i <= #ARGV do
  local e = {stream = KEYS[tonumber(ARGV[i])], id = ARGV[i + 1], chat = ARGV[i + 2], ak = {}, aa = {}}
  local nk, na = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  for j = 1, nk do e.ak[j] = KEYS[tonumber(ARGV[i + 4 + j])] end
  for j = 1, na do e.aa[j] = ARGV[i + 4 + nk + j] end
  i = i + 5 + nk + na
  e.admit = nk + na > 0
  local score, member = wq_member(e.id)
  e.member = member
  e.rkey = e.stream .. ':registered'
  if #redis.call('XRANGE', e.stream, e.id, e.id) == 0 then
    e.gone = true
  else
    -- the producer registered it already (with the sets' lifetime) unless it came from elsewhere
    if redis.call('ZADD', e.rkey, 'NX', score, member) == 1 then redis.call('PEXPIRE', e.rkey, ARGV[1]) end
    if e.chat ~= '' then
      e.zkey = e.stream .. ':order:' .. e.chat
      if redis.call('ZADD', e.zkey, 'NX', score, member) == 1 then redis.call('PEXPIRE', e.zkey, ARGV[1]) end
    end
  end
  entries[#entries + 1] = e
end

-- second pass: who may go
local unregistered = {}
local out = {}
for _, e in ipairs(entries) do
  local go
  if e.gone then
    out[#out + 1] = 2
  else
    if e.chat == '' then
      go = true
    else
      go = wq_head(e.stream, e.zkey, e.member) == e.member
      if go then
        if unregistered[e.stream] == nil then unregistered[e.stream] = wq_first_unregistered(e.stream, e.rkey) end
        local u = unregistered[e.stream]
        go = not (u and wq_id_below(u, e.id))
      end
    end
    if go and e.admit then
      out[#out + 1] = {1, wq_admit(e.ak, e.aa)}
    else
      out[#out + 1] = go and 1 or 0
    end
  end
end
return out
