package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.topic.Topic;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPatternTest {

    private static boolean grants(String pattern, String type, String id, String channel) {
        return TopicPattern.parse(pattern).orElseThrow().matches(Topic.parse(type, id, channel));
    }

    @Test
    void anExactTopicGrantsOnlyItself() {
        assertTrue(grants("trip/123/comments", "trip", "123", "comments"));
        assertFalse(grants("trip/123/comments", "trip", "123", "likes"));
        assertFalse(grants("trip/123/comments", "trip", "1234", "comments"));
        assertFalse(grants("trip/123/comments", "post", "123", "comments"));
    }

    @Test
    void aStarMatchesExactlyOneWholeSegment() {
        assertTrue(grants("trip/123/*", "trip", "123", "likes"));
        assertFalse(grants("trip/123/*", "trip", "1234", "likes"));
        assertTrue(grants("trip/*/comments", "trip", "anything.at-all_9", "comments"));
        assertFalse(grants("trip/*/comments", "post", "9", "comments"));
        assertTrue(grants("*/7/presence", "blog", "7", "presence"));
        assertTrue(grants("*/*/*", "location", "x", "images"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "trip/12*/comments",
                "trip/*3/comments",
                "trip/**",
                "trip/123",
                "trip/123/comments/",
                "/trip/123/comments",
                "trip//comments",
                "car/1/comments",
                "trip/1/chat",
                "trip/a b/comments",
                "**/*/*",
                ""
            })
    void partialAndMultiSegmentWildcardsAndNonTopicsAreNotPatterns(String text) {
        assertEquals(Optional.empty(), TopicPattern.parse(text));
    }

    @Test
    void aPatternPrintsAsWritten() {
        assertEquals(
                "trip/*/comments",
                TopicPattern.parse("trip/*/comments").orElseThrow().toString());
    }
}
