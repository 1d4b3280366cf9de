package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.Exchange;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The /admin/instances answers (DESIGN §5): list the served instances with their backlog, add one, remove one.
 * Adding and removing go through {@link ServedInstances} (SADD/SREM on wa:instances plus the announcement every
 * process follows); a removed instance's streams and dead letters are kept, never deleted.
 */
public final class InstanceAdmin {
    /** Exchange property: the HTTP status of a success answer other than 200 (admin-respond sets it). */
    public static final String STATUS = "WaAdminStatus";

    private final RedissonClient redis;
    private final AdminInstances instances;
    private final ServedInstances served;

    public InstanceAdmin(RedissonClient redis, AdminInstances instances, ServedInstances served) {
        this.redis = redis;
        this.instances = instances;
        this.served = served;
    }

    /**
     * GET /admin/instances: every served instance, WA_INSTANCES first, with its depths (one pipelined read).
     * Reads: nothing. Sets: body (the JSON answer, returned).
     */
    public String list() {
        List<String> all = instances.all();
        List<Depths> depths = depths(all);
        ObjectNode out = AdminJson.object();
        out.put("count", all.size());
        ArrayNode list = out.putArray("instances");
        for (int i = 0; i < all.size(); i++) {
            ObjectNode n = list.addObject();
            n.put("name", all.get(i));
            n.put("in_wa_instances", served.seeds().contains(all.get(i)));
            depths.get(i).into(n);
        }
        AdminAudit.read("instances-list", "all", "count", all.size());
        return out.toString();
    }

    /**
     * POST /admin/instances {"name":…}: 201 when newly served, 200 when it already was.
     * Reads: body (the JSON request). Sets: property WaAdminStatus (201 when newly served); body (the JSON answer,
     * returned).
     */
    public String add(String body, Exchange exchange) {
        JsonNode req = AdminJson.parse(body);
        if (req == null || !req.isObject()) {
            throw new AdminException(400, "invalid_body", "Send a JSON body: {\"name\":\"<instance>\"}.");
        }
        JsonNode name = req.get("name");
        if (name == null || !name.isTextual()) {
            throw new AdminException(400, "invalid_body", "'name' is required and must be a string:"
                    + " {\"name\":\"<instance>\"}.");
        }
        String instance = AdminInstances.valid(name.asText(), "name");
        boolean added = served.add(instance);
        if (added) {
            exchange.setProperty(STATUS, 201);
        }
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("added", added);
        out.put("served_count", served.instances().size());
        out.put("message", added ? "Instance " + instance + " is served now; every process follows within seconds"
                : "Instance " + instance + " was already served");
        AdminAudit.action("instance-add", instance, "added", added, "served_count", served.instances().size());
        return out.toString();
    }

    /**
     * DELETE /admin/instances/{name}: stops serving it; its streams, backlog and dead letters stay in Redis.
     * Reads: its argument (header name). Sets: body (the JSON answer, returned).
     */
    public String remove(String name) {
        String instance = AdminInstances.valid(name, "name");
        if (!served.remove(instance)) {
            throw AdminInstances.unknown(instance);
        }
        Depths kept = depths(List.of(instance)).get(0);
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("removed", true);
        kept.into(out);
        out.put("served_count", served.instances().size());
        out.put("message", "Instance " + instance + " is no longer served; its streams and dead letters are kept"
                + " in Redis (queue_depth " + kept.queue() + ", dlq_depth " + kept.dlq() + ", inbound_depth "
                + kept.inbound() + "). POST /admin/instances {\"name\":\"" + instance + "\"} serves it again.");
        AdminAudit.action("instance-remove", instance, "queue_depth", kept.queue(), "dlq_depth", kept.dlq(),
                "inbound_depth", kept.inbound(), "served_count", served.instances().size());
        return out.toString();
    }

    private record Depths(long queue, long dlq, long inbound) {
        void into(ObjectNode n) {
            n.put("queue_depth", queue);
            n.put("dlq_depth", dlq);
            n.put("inbound_depth", inbound);
        }
    }

    /** XLEN of each instance's send stream, dead letters and inbound stream, in one round trip. */
    private List<Depths> depths(List<String> names) {
        RBatch batch = redis.createBatch();
        List<List<RFuture<Long>>> futures = new ArrayList<>();
        for (String instance : names) {
            futures.add(List.of(
                    batch.getStream(Keys.sendStream(instance), StringCodec.INSTANCE).sizeAsync(),
                    batch.getStream(Keys.deadLetters(instance), StringCodec.INSTANCE).sizeAsync(),
                    batch.getStream(Keys.inboundStream(instance), StringCodec.INSTANCE).sizeAsync()));
        }
        if (!names.isEmpty()) {
            batch.execute();
        }
        List<Depths> out = new ArrayList<>();
        for (List<RFuture<Long>> f : futures) {
            out.add(new Depths(f.get(0).toCompletableFuture().join(), f.get(1).toCompletableFuture().join(),
                    f.get(2).toCompletableFuture().join()));
        }
        return out;
    }
}
