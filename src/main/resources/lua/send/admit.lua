-- The send route's admission when the read did not give it (a retry, a pause, an entry taken over, an answer
-- older than SendAdmission.MAX_AGE_MS): wq_admit of lua/send/entry-hooks.lua as one call. KEYS and ARGV as there.
return wq_admit(KEYS, ARGV)
