package io.whatsappqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogRedactorTest {

    @Test
    void phoneNumbersAndJidsInFreeTextAreMasked() {
        assertEquals("reply queued for 4477****0123@s.whatsapp.net (attempt 2 of 5)",
                LogRedactor.redact("reply queued for 447700900123@s.whatsapp.net (attempt 2 of 5)"));
        assertEquals("from 4477****0123 via 1234*******2345@lid",
                LogRedactor.redact("from +44 7700 900123 via 123456789012345@lid"));
    }

    @Test
    void shortNumbersStayReadable() {
        String line = "sent 3 replies in 1234567 us, HTTP 201, retry in 60 s";
        assertEquals(line, LogRedactor.redact(line));
    }

    @Test
    void aNumberNextToASmallOneIsMaskedOnItsOwn() {
        assertEquals("attempt 2 4477****0123", LogRedactor.redact("attempt 2 447700900123"));
        assertEquals("4477****0123 2 retries left", LogRedactor.redact("+44 7700 900123 2 retries left"));
    }

    @Test
    void headerValuesAreRemoved() {
        assertEquals("headers {apikey=[redacted], Authorization=[redacted], Content-Type=application/json}",
                LogRedactor.redact("headers {apikey=B6D711FCDE4D, Authorization=Bearer eyJhbGciOi.eyJzdWIi.sig, "
                        + "Content-Type=application/json}"));
    }

    @Test
    void queryStringSecretsAreRemovedAndNumbersMasked() {
        assertEquals("POST /webhook?token=[redacted]&number=4477****0123",
                LogRedactor.redact("POST /webhook?token=s3cr3t&number=447700900123"));
    }

    @Test
    void numericSecretIsRemovedNotMasked() {
        assertEquals("apikey=[redacted]", LogRedactor.redact("apikey=1234567890123"));
    }

    @Test
    void qrCodeFieldsInJsonAreRemoved() {
        String qr = "{\"event\":\"qrcode.updated\",\"data\":{\"qrcode\":{\"instance\":\"clinic-a\","
                + "\"pairingCode\":null,\"code\":\"2@y8eK+bjtEjUWy9/FOM=,JHZVwpHcMeKRMWOpwx1+mQ==\","
                + "\"base64\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg\\/AAA=\"}},\"apikey\" : \"B6D711FCDE4D\"}";
        assertEquals("{\"event\":\"qrcode.updated\",\"data\":{\"qrcode\":{\"instance\":\"clinic-a\","
                        + "\"pairingCode\":null,\"code\":\"[redacted]\",\"base64\":\"[redacted]\"}},"
                        + "\"apikey\" : \"[redacted]\"}",
                LogRedactor.redact(qr));
    }

    @Test
    void qrDataUrlAsKeyValueIsRemovedWhole() {
        assertEquals("base64=[redacted] code=[redacted] instance=clinic-a",
                LogRedactor.redact("base64=data:image/png;base64,iVBORw0KGgo+/AA== code=2@y8eK+bjtE instance=clinic-a"));
    }

    @Test
    void commaSeparatedQrCodeIsRemovedWhole() {
        assertEquals("{code=[redacted], instance=clinic-a}",
                LogRedactor.redact("{code=2@y8eK+bjtE,JHZVwpHcMe/KRMWOpwx1+mQ==,Ab12CdEf==, instance=clinic-a}"));
    }

    @Test
    void keysAreMatchedWholeAndWithoutCase() {
        assertEquals("APIKEY=[redacted] statusCode=401 max_tokens=512 x-webhook-token=[redacted]",
                LogRedactor.redact("APIKEY=abc statusCode=401 max_tokens=512 x-webhook-token=xyz"));
    }

    @Test
    void nullStaysNull() {
        assertNull(LogRedactor.redact(null));
    }
}
