package io.whatsappqueue.admin;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * GET /openapi.json: the maintained {@code openapi/openapi.yaml} (webhook, admin and sandbox API), served as
 * JSON. Read once at start, so a broken document stops start-up instead of a request.
 */
public final class OpenApiDocument {
    public static final String RESOURCE = "/openapi/openapi.yaml";

    private final String json;

    public OpenApiDocument() {
        this.json = load().toString();
    }

    /** Reads: nothing. Sets: body (the document, returned). */
    public String json() {
        return json;
    }

    static JsonNode load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
