package io.whatsappqueue.inbound;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import io.whatsappqueue.ai.ClinicKnowledge;
import io.whatsappqueue.ai.ClinicKnowledgeLoader;
import io.whatsappqueue.ai.LlmReplier;
import io.whatsappqueue.api.StatusCallbacks;
import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.config.EnvironmentText;
import io.whatsappqueue.config.Settings;
import io.whatsappqueue.evolution.EvolutionRequests;
import io.whatsappqueue.evolution.WebhookAuthenticator;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.sandbox.SandboxInbound;
import io.whatsappqueue.send.ReplyQueue;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.send.OwnSends;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and binds the inbound side's beans: the webhook's checks and answers, the inbound queue, the
 * connection and human-takeover steps, and the reply route's pieces. The knowledge file is read here, so a
 * bad WA_KNOWLEDGE_FILE stops start-up with a {@link ConfigException} naming it.
 */
public final class InboundBeans {
    private static final Logger LOG = LoggerFactory.getLogger(InboundBeans.class);
    /** The typing indicator must never hold a worker long: connect quickly or give up. */
    private static final int TYPING_CONNECT_TIMEOUT_MS = 1000;

    private InboundBeans() {
    }

    public static void bind(CamelContext ctx, Settings settings, RedissonClient redis) {
        Registry r = ctx.getRegistry();
        PropertiesComponent pc = ctx.getPropertiesComponent();
        pc.addOverrideProperty("wa.ai.enabled", String.valueOf(settings.aiBaseUrl != null));
        pc.addOverrideProperty("wa.typing.enabled", String.valueOf(settings.typingDelayMs > 0));

        io.whatsappqueue.observe.WaMetrics metrics = ctx.getRegistry().lookupByNameAndType("waMetrics", io.whatsappqueue.observe.WaMetrics.class);
        OwnSends ownSends = r.lookupByNameAndType("ownSends", OwnSends.class);
        SendGate sendGate = r.lookupByNameAndType("sendGate", SendGate.class);
        ChatPauses pauses = new ChatPauses(ctx.getRegistry().lookupByNameAndType("chatControls", io.whatsappqueue.admin.ChatControls.class));
        ChatMemory memory = new ChatMemory(redis, settings.historyTurns, settings.historyTtlSeconds);
        r.bind("chatPauses", pauses);

        ReceptionistSettings receptionist = ReceptionistSettings.load(EnvironmentText.settingsSource(pc));

        // webhook
        r.bind("webhookIntake", new WebhookIntake(new WebhookAuthenticator(settings.webhookToken),
                r.lookupByNameAndType("servedInstances", ServedInstances.class), settings.maxMessageAgeSeconds,
                settings.webhookMaxBodyBytes, receptionist.nonTextReply != null));
        r.bind("webhookAnswers", new WebhookAnswers(metrics));
        r.bind("inboundQueue", new InboundQueue());
        r.bind("connectionEvents", new ConnectionEvents(redis, sendGate, ctx));
        r.bind("humanTakeover", new HumanTakeover(ownSends, pauses,
                Duration.ofSeconds(settings.humanTakeoverPauseSeconds), metrics));

        // reply
        // The reply routes exist in every role (they only start in web/all) and need their beans to be built;
        // a worker never answers, so it does not require WA_KNOWLEDGE_FILE to be readable where it runs.
        ClinicKnowledge knowledge = loadKnowledge(settings.role.runsWeb() ? settings.knowledgeFile : null);
        LlmReplier llm = settings.aiBaseUrl == null ? null : new LlmReplier(settings.aiBaseUrl, settings.aiApiKey,
                settings.aiModel, Duration.ofMillis(settings.aiTimeoutMs + 1000));
        r.bind("inboundEntries", new InboundEntries());
        r.bind("replyDrafts", new ReplyDrafts(redis));
        r.bind("replyLog", new ReplyLog(metrics));
        AiReplies ai = new AiReplies(knowledge, llm, settings.aiFallbackText, memory, metrics, settings.aiTimeoutMs);
        r.bind("aiReplies", ai);
        r.bind("aiReply", new io.whatsappqueue.ai.AiReplyAggregation());
        r.bind("burstBuffer", new BurstBuffer(redis, r.lookupByNameAndType("servedInstances", ServedInstances.class),
                settings.debounceMs, settings.debounceMaxMs, settings.streamMaxLen));
        // the timer that puts due bursts back runs only where replies are made, and only when debounce is on
        pc.addOverrideProperty("wa.debounce.enabled", String.valueOf(settings.role.runsWeb() && settings.debounceMs > 0));
        pc.addOverrideProperty("wa.debounce.poll-ms", String.valueOf(BurstBuffer.pollMs(settings.debounceMs)));
        r.bind("replyOutbox", new ReplyOutbox(
                settings.maxReplyChars, memory, ai.fallbackText(), metrics));
        bindReceptionist(ctx, settings, receptionist, knowledge, redis, memory, pauses);
        if (settings.role.runsWeb()) {
            LOG.info("Replies: {}, knowledge of {}", llm == null
                    ? "built-in knowledge responder (AI_BASE_URL unset)"
                    : "AI model " + settings.aiModel + " (timeout " + settings.aiTimeoutMs + " ms)", knowledge.name());
        }
        EvolutionRequests requests = r.lookupByNameAndType("evolutionRequests", EvolutionRequests.class);
        r.bind("typingIndicator", new TypingIndicator(requests, settings.typingDelayMs, metrics));
        r.bind("typingHttpClient", typingClient(ctx, settings.typingDelayMs));

        r.bind("sandboxInbound", new SandboxInbound(settings.instances));
    }

    /**
     * The receptionist behaviour (routes/receptionist.camel.yaml, DESIGN §10): out of hours, hand-off to a person,
     * the answer to media without text. The hand-off webhook is signed by the status callbacks' signer, with
     * WA_HANDOFF_WEBHOOK_SECRET or else WA_STATUS_CALLBACK_SECRET.
     */
    private static void bindReceptionist(CamelContext ctx, Settings settings, ReceptionistSettings receptionist,
                                         ClinicKnowledge knowledge, RedissonClient redis, ChatMemory memory,
                                         ChatPauses pauses) {
        Registry r = ctx.getRegistry();
        PropertiesComponent pc = ctx.getPropertiesComponent();
        Clock clock = r.lookupByNameAndType("clock", Clock.class);
        r.bind("outOfHours", new OutOfHours(receptionist.outOfHours, knowledge, clock));
        r.bind("handoffRequests", new HandoffRequests(receptionist.handoffKeywords));
        r.bind("handoffs", new Handoffs(receptionist, memory, pauses, clock,
                r.lookupByNameAndType("burstBuffer", BurstBuffer.class)));
        r.bind("nonTextReplies", new NonTextReplies(redis, receptionist.nonTextReply));
        r.bind("handoffWebhook", new StatusCallbacks(receptionist.handoffWebhookSecret));
        pc.addOverrideProperty("wa.handoff.notify.enabled", String.valueOf(receptionist.handoffNotifyTo != null));
        pc.addOverrideProperty("wa.handoff.webhook.enabled",
                String.valueOf(receptionist.handoffWebhookUrl != null && settings.role.runsWeb()));
        // the route's placeholder needs a value even where its precondition leaves the route out: an address that
        // is never called stands in
        pc.addOverrideProperty("wa.handoff.webhook-url", receptionist.handoffWebhookUrl != null
                ? receptionist.handoffWebhookUrl : "http://127.0.0.1:9/handoff-webhook-off");
        if (settings.role.runsWeb() && knowledge.schedule().isPresent()) {
            LOG.info("Opening hours in {}: out-of-hours {}", knowledge.schedule().get().zone(),
                    receptionist.outOfHours.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The knowledge file, validated; any problem stops start-up naming WA_KNOWLEDGE_FILE. */
    public static ClinicKnowledge loadKnowledge(String location) {
        try {
            return new ClinicKnowledgeLoader().load(location);
        } catch (IllegalArgumentException e) {
            // the loader's message already reads "WA_KNOWLEDGE_FILE <path>: <field> <problem>"
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * Evolution holds a sendPresence call for the whole typing delay before it answers; the client waits that
     * long and two seconds more, and never retries.
     */
    private static CloseableHttpClient typingClient(CamelContext ctx, long delayMs) {
        Timeout answer = Timeout.ofMilliseconds(delayMs + 2000);
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(TYPING_CONNECT_TIMEOUT_MS))
                                .setSocketTimeout(answer)
                                .build())
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(32)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(TYPING_CONNECT_TIMEOUT_MS))
                        .setResponseTimeout(answer)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .build();
        try {
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws IOException {
                    client.close();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("could not register the typing client's shutdown", e);
        }
        return client;
    }
}
