-- Shared by the stream scripts. Per-chat order: each undelivered entry of a chat is a member of a sorted
-- set (score = id milliseconds, member = ms-paddedseq so equal scores still sort by sequence). Only the
-- lowest member may be sent. A head whose entry no longer exists in the stream (deleted by an operator)
-- is dropped so it cannot block the chat forever.
local function wq_member(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), ms .. '-' .. string.format('%020d', tonumber(seq))
end

local function wq_id(member)
  local ms, seq = string.match(member, '^(%d+)-(%d+)$')
  return ms .. '-' .. tostring(tonumber(seq))
end

local function wq_head(stream, zkey)
  for _ = 1, 32 do
    local h = redis.call('ZRANGE', zkey, 0, 0)[1]
    if not h then return false end
    local id = wq_id(h)
    if #redis.call('XRANGE', stream, id, id) > 0 then return h end
    redis.call('ZREM', zkey, h)
  end
  return false
end

local function wq_chat(fields, order_field)
  for j = 1, #fields, 2 do
    if fields[j] == 'payload' then
      local ok, obj = pcall(cjson.decode, fields[j + 1])
      if ok and type(obj) == 'table' then
        local v = obj[order_field]
        if type(v) == 'string' and v ~= '' then
          v = string.gsub(v, '^%+', '')
          v = string.gsub(v, '@s%.whatsapp%.net$', '')
          return redis.sha1hex(v)
        end
      end
      return ''
    end
  end
  return ''
end
