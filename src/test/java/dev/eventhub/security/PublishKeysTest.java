package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishKeysTest {

    @Test
    void everyConfiguredKeyIsAcceptedSoAKeyCanBeRotated() {
        PublishKeys keys = PublishKeys.fromConfig(
                Optional.of(List.of("old-key-aaaaaaaaaaaaaaaa", " new-key-bbbbbbbbbbbbbbbb ", "")));
        assertEquals(2, keys.size(), "blank entries are ignored");
        assertEquals(0, keys.indexOf("old-key-aaaaaaaaaaaaaaaa"));
        assertEquals(1, keys.indexOf("new-key-bbbbbbbbbbbbbbbb"), "surrounding spaces in the setting are trimmed");
        assertTrue(keys.generatedKey().isEmpty());
    }

    @Test
    void anythingElseIsNoKey() {
        PublishKeys keys = PublishKeys.fromConfig(Optional.of(List.of("the-only-key-cccccccccccccc")));
        for (String wrong : new String[] {
            null,
            "",
            "the-only-key",
            "the-only-key-cccccccccccccc ",
            "THE-ONLY-KEY-CCCCCCCCCCCCCC",
            "the-only-key-ccccccccccccccc"
        }) {
            assertEquals(-1, keys.indexOf(wrong), String.valueOf(wrong));
        }
    }

    @Test
    void withNoKeyConfiguredARandomOneIsGeneratedAndIsTheOnlyOneAccepted() {
        PublishKeys first = PublishKeys.fromConfig(Optional.empty());
        PublishKeys blank = PublishKeys.fromConfig(Optional.of(List.of(" ")));
        String key = first.generatedKey().orElseThrow();
        assertTrue(key.length() >= 43, "256 random bits");
        assertEquals(0, first.indexOf(key));
        assertEquals(1, first.size());
        assertNotEquals(key, blank.generatedKey().orElseThrow(), "a new key every start");
        assertEquals(-1, blank.indexOf(key));
    }
}
