package io.whatsappqueue.stream;

import java.util.List;

/**
 * Redis work of a consumer's route that the engine runs inside its own scripts, so it costs no round trip of its
 * own: {@code wq_admit(keys, args)} in lua/stream/heads.lua for each entry just read that may go now (the route's
 * checks before it acts, answered in header {@link RedisStreamConstants#ADMISSION}), and
 * {@code wq_finished(keys, args)} in lua/stream/finish.lua when the route asked for it (header
 * {@link RedisStreamConstants#FINISH_CALL}). Every key must belong to the entry's instance (one hash slot in
 * Cluster mode). The send route's: {@code send.SendEntryScripts}.
 */
public interface EntryScripts {

    /** No work of the route's: wq_admit answers go, wq_finished does nothing, and no admission is asked. */
    EntryScripts NONE = new EntryScripts() {
        @Override
        public String lua() {
            return "local function wq_admit() return 'go' end\nlocal function wq_finished() end\n";
        }

        @Override
        public Call admission(StreamEntry e) {
            return null;
        }
    };

    /** Lua that defines the local functions {@code wq_admit(keys, args)} (returns a string) and {@code wq_finished(keys, args)}. */
    String lua();

    /** The keys and arguments of {@code wq_admit} for an entry just read, or null when the route checks it itself. */
    Call admission(StreamEntry e);

    /** Keys and arguments of one call of a function of {@link #lua}. */
    record Call(List<String> keys, List<String> args) {
    }
}
