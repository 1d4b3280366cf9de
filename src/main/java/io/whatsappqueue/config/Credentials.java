package io.whatsappqueue.config;

/**
 * The secrets the routes send to peers: Evolution's {@code apikey} header and, in sandbox mode, our own
 * webhook token. Routes read them from this bean at run time ({@code setHeader} with a method expression)
 * instead of a {{placeholder}}, so the route model holds only the bean's name: Camel's route dumps
 * ({@code dumpRoutesAsXml(true)}), endpoint lists and Hawtio never see a value. Unset values are "".
 */
public final class Credentials {
    private final String evolutionApiKey;
    private final String webhookToken;

    public Credentials(String evolutionApiKey, String webhookToken) {
        this.evolutionApiKey = evolutionApiKey == null ? "" : evolutionApiKey;
        this.webhookToken = webhookToken == null ? "" : webhookToken;
    }

    /**
     * Route step: EVOLUTION_API_KEY, for the {@code apikey} header of every Evolution call.
     * Reads: nothing. Sets: nothing; returns the key (the route puts it in header apikey).
     */
    public String evolutionApiKey() {
        return evolutionApiKey;
    }

    /**
     * Route step: WEBHOOK_TOKEN, for the sandbox's own call of the webhook.
     * Reads: nothing. Sets: nothing; returns the token.
     */
    public String webhookToken() {
        return webhookToken;
    }

    @Override
    public String toString() {
        return "Credentials[values hidden]";
    }
}
