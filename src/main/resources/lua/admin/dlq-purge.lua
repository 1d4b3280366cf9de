-- KEYS[1] dead-letter stream. Deletes it and answers how many entries it held.
local n = redis.call('XLEN', KEYS[1])
if n > 0 then redis.call('DEL', KEYS[1]) end
return n
