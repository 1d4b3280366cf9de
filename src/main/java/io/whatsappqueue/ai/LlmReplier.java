package io.whatsappqueue.ai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks an OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, ...) for a reply, with the clinic's
 * system prompt and the recent conversation. Failures are thrown, not answered: the reply route's
 * circuit breaker decides on retries and sends the fallback text, so this class neither retries nor
 * swallows anything. Nothing of the conversation is logged.
 */
public final class LlmReplier {

    /** Ollama and vLLM ignore the key, but the OpenAI client needs one to build its request. */
    static final String PLACEHOLDER_API_KEY = "not-needed";

    private final ChatModel model;
    private final PromptBuilder prompts;

    /**
     * @param baseUrl   the API root including the version, e.g. {@code https://api.openai.com/v1} or
     *                  {@code http://localhost:11434/v1}; requests go to {@code <baseUrl>/chat/completions}
     * @param apiKey    the bearer key; blank for servers that need none
     * @param modelName e.g. {@code gpt-4o-mini}
     * @param timeout   the whole call's limit ({@code AI_TIMEOUT_MS})
     */
    public LlmReplier(String baseUrl, String apiKey, String modelName, Duration timeout) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("AI_BASE_URL is blank; leave it unset to use the built-in knowledge responder");
        }
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("AI_MODEL is blank; set a model name such as gpt-4o-mini");
        }
        Objects.requireNonNull(timeout, "timeout");
        this.model = OpenAiChatModel.builder()
                .baseUrl(baseUrl.strip())
                .apiKey(apiKey == null || apiKey.isBlank() ? PLACEHOLDER_API_KEY : apiKey.strip())
                .modelName(modelName.strip())
                .timeout(timeout)
                // Retries belong to the circuit breaker, which knows the time budget of the whole reply.
                .maxRetries(0)
                // Request and response bodies hold patient messages; logs must never carry them.
                .logRequests(false)
                .logResponses(false)
                .build();
        this.prompts = new PromptBuilder();
    }

    /**
     * The model's reply to {@code userText}, given the earlier turns (oldest first).
     *
     * @throws RuntimeException when the call fails or times out (LangChain4j's exceptions, unchanged), or
     *                          {@link IllegalStateException} when the model answers with no text
     */
    public String reply(ClinicKnowledge knowledge, List<ChatTurn> history, String userText) {
        return reply(knowledge, Optional.empty(), history, userText);
    }

    /**
     * The same, with the clinic's situation now (local time, open or closed) in the system prompt.
     *
     * @param now empty when the clinic has no schedule or out-of-hours handling is off
     */
    public String reply(ClinicKnowledge knowledge, Optional<ClinicStatus> now, List<ChatTurn> history, String userText) {
        List<ChatMessage> messages = new ArrayList<>(history.size() + 2);
        messages.add(SystemMessage.from(prompts.systemPrompt(knowledge, now)));
        for (ChatTurn turn : history) {
            messages.add(switch (turn.role()) {
                case USER -> UserMessage.from(turn.text());
                case ASSISTANT -> AiMessage.from(turn.text());
            });
        }
        messages.add(UserMessage.from(userText));
        String text = model.chat(messages).aiMessage().text();
        if (text == null || text.isBlank()) {
            // An empty WhatsApp message would leave the patient unanswered; let the caller send the fallback.
            throw new IllegalStateException("The AI model returned an empty reply");
        }
        return text.strip();
    }
}
