package io.whatsappqueue.console;

import io.whatsappqueue.send.OutboundMessages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.whatsappqueue.admin.StreamHealth;

/**
 * The console's overview of every served instance, as JSON (GET /console/overview.json, read by console.js every
 * few seconds, and rendered into the first page): from the admin health answer ({@link StreamHealth}, the same
 * bean GET /admin/streams/health?instance=all calls) queue depth, pending, live consumers, DLQ depth, Evolution
 * connection state, sending paused and why, issues; from the gauges (QueueGauges) the scheduled count; sends per
 * minute from this process's counter ({@link SendRate}). Numbers and ids only, no patient data.
 */
public final class ConsoleOverview {
    private static final ObjectMapper JSON = OutboundMessages.json(); // the project's one mapper

    private final StreamHealth health;
    private final SendRate rate;

    public ConsoleOverview(StreamHealth health, MeterRegistry meters) {
        this.health = health;
        this.rate = new SendRate(meters);
    }

    /** Reads: nothing. Sets: body (the JSON overview, returned). */
    public String json() {
        return tree().toString();
    }

    ObjectNode tree() {
        JsonNode all = read(health.report(StreamHealth.ALL));
        ObjectNode out = JSON.createObjectNode();
        out.put("status", all.path("status").asText());
        out.put("at", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ArrayNode list = out.putArray("instances");
        for (JsonNode h : all.path("instances")) {
            String name = h.path("instance").asText();
            ObjectNode n = list.addObject();
            n.put("instance", name);
            n.put("status", h.path("status").asText());
            n.put("queue_depth", h.path("queue_depth").asLong());
            n.put("pending", h.path("pending").asLong());
            n.put("consumers", h.path("consumers_count").asLong());
            n.put("dlq_depth", h.path("dlq_depth").asLong());
            double scheduled = rate.gauge("wa.messages.scheduled", name);
            n.put("scheduled", scheduled < 0 || Double.isNaN(scheduled) ? 0 : Math.round(scheduled));
            n.put("sending_paused", h.path("sending_paused").asBoolean());
            n.put("pause_reason", h.path("sending_pause_reason").asText(""));
            n.put("connection_state", h.path("connection_state").asText());
            n.put("sent_per_minute", rate.perMinute(name));
            n.set("issues", h.path("issues"));
        }
        return out;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an admin bean answered something that is not JSON", e);
        }
    }
}
