-- Shared by the stream scripts (prepended by LuaScripts.withOrderLib). Per-chat order: each undelivered entry
-- of a chat is a member of the chat's sorted set <stream>:order:<chat> (score = id milliseconds, member =
-- ms-paddedseq so equal scores still sort by sequence). Only the lowest member may be sent. A head whose entry
-- no longer exists in the stream (deleted by an operator) is dropped so it cannot block the chat forever.
-- The chat key comes from the entry's own `chat` field, computed once in Java: Lua never reads the payload.
local function wq_member(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), ms .. '-' .. string.format('%020d', tonumber(seq))
end

-- Appends an entry with its chat field and registers it (<stream>:registered) and in its chat's order set, each set
-- kept `ttl` ms: how every ordered entry is added (lua/stream/add.lua, the status outbox in lua/status/lib.lua).
-- Returns the entry id.
local function wq_add_ordered(stream, fields, chat, ttl)
  local id = redis.call('XADD', stream, '*', unpack(fields))
  local score, member = wq_member(id)
  local zkey = stream .. ':order:' .. chat
  redis.call('ZADD', zkey, 'NX', score, member)
  redis.call('PEXPIRE', zkey, ttl)
  redis.call('ZADD', stream .. ':registered', 'NX', score, member)
  redis.call('PEXPIRE', stream .. ':registered', ttl)
  return id
end

local function wq_id(member)
  local ms, seq = string.match(member, '^(%d+)-(%d+)$')
  return ms .. '-' .. tostring(tonumber(seq))
end

-- The chat's head member; `known` (optional) is a member the caller knows to be in the stream (no XRANGE for it).
local function wq_head(stream, zkey, known)
  for _ = 1, 32 do
    local h = redis.call('ZRANGE', zkey, 0, 0)[1]
    if not h then return false end
    if h == known then return h end
    local id = wq_id(h)
    if #redis.call('XRANGE', stream, id, id) > 0 then return h end
    redis.call('ZREM', zkey, h)
  end
  return false
end
