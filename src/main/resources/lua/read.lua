-- KEYS[1] stream. ARGV: group, consumer, count, order field, order key prefix, order ttl ms.
-- XREADGROUP and the per-chat registration in one atomic step, so two workers can never register a later
-- entry of a chat before an earlier one. Returns {lastGeneratedId, {id, fields, chat, member, isHead}...};
-- lastGeneratedId is set only when nothing was read (the caller then blocks on XREAD after it).
local stream = KEYS[1]
local res = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', stream, '>')
if not res or not res[1] or #res[1][2] == 0 then
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then return {info[i + 1]} end
  end
  return {'0-0'}
end
local out = {''}
local chats = {}
for _, e in ipairs(res[1][2]) do
  local id, fields = e[1], e[2]
  local chat, member = '', ''
  if fields then
    chat = wq_chat(fields, ARGV[4])
  else
    fields = {}
  end
  if chat ~= '' then
    local score
    score, member = wq_member(id)
    local zkey = ARGV[5] .. chat
    redis.call('ZADD', zkey, 'NX', score, member)
    redis.call('PEXPIRE', zkey, ARGV[6])
  end
  out[#out + 1] = {id, fields, chat, member, 0}
end
for i = 2, #out do
  local e = out[i]
  if e[3] == '' then
    e[5] = 1
  else
    local zkey = ARGV[5] .. e[3]
    if chats[zkey] == nil then chats[zkey] = wq_head(stream, zkey) end
    if chats[zkey] == e[4] then e[5] = 1 end
  end
end
return out
