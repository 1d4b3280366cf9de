package io.whatsappqueue.inbound;

import java.nio.file.Files;
import java.nio.file.Path;

import io.whatsappqueue.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A knowledge file that cannot be used stops start-up with a ConfigException naming WA_KNOWLEDGE_FILE. */
class KnowledgeFileConfigTest {

    @Test
    void missingKnowledgeFileStopsStartUpNamingTheVariable(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InboundBeans.loadKnowledge(dir.resolve("nope.yaml").toString()));
        assertTrue(e.getMessage().startsWith("WA_KNOWLEDGE_FILE "), e.getMessage());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void invalidKnowledgeFileNamesTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clinic.yaml");
        Files.writeString(file, "name: Test Clinic\nhours: 9-5\naddress: 1 Road\nphone: \"1\"\nservices:\n  - name: X\nfaq: []\n");
        ConfigException e = assertThrows(ConfigException.class, () -> InboundBeans.loadKnowledge(file.toString()));
        assertTrue(e.getMessage().contains("WA_KNOWLEDGE_FILE") && e.getMessage().contains("services[0].price"),
                e.getMessage());
    }

    @Test
    void unsetKnowledgeFileUsesTheBundledExample() {
        assertEquals("Riverside Family Clinic", InboundBeans.loadKnowledge(null).name());
    }
}
