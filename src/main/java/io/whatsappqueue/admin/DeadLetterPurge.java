package io.whatsappqueue.admin;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/** DELETE /admin/streams/dlq?confirm=true: empties an instance's DLQ; without confirm=true nothing happens. */
public final class DeadLetterPurge {
    private static final String PURGE = LuaScripts.plain("admin/dlq-purge.lua");

    private final LuaScripts lua;
    private final AdminInstances instances;

    public DeadLetterPurge(RedissonClient redis, AdminInstances instances) {
        this.lua = new LuaScripts(redis);
        this.instances = instances;
    }

    /** Reads: its arguments (header instance, confirm). Sets: body (the JSON answer, returned). */
    public String purge(String instanceParam, String confirm) {
        String instance = instances.resolve(instanceParam);
        String dlq = Keys.deadLetters(instance);
        if (confirm == null || !"true".equalsIgnoreCase(confirm.trim())) {
            throw new AdminException(400, "confirmation_required", "Deleting every entry of " + dlq
                    + " cannot be undone: repeat the call with the query parameter confirm=true.");
        }
        Long deleted = lua.eval(PURGE, RScript.ReturnType.INTEGER, List.of(dlq));
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("deleted_count", deleted == null ? 0 : deleted);
        out.put("dlq_depth", 0);
        out.put("message", "Deleted " + deleted + " dead letters from " + dlq);
        AdminAudit.action("dlq-purge", instance, "deleted", deleted);
        return out.toString();
    }
}
