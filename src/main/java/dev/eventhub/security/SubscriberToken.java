package dev.eventhub.security;

import dev.eventhub.topic.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A verified subscriber token: what it grants, who it names, and until when it is accepted.
 *
 * @param topics the topics and patterns of its {@code topics} claim (none when the claim is absent)
 * @param subject its {@code sub}, the viewer id presence uses
 * @param acceptedUntil {@code exp} plus the allowed clock skew: the token is refused from then on,
 *        and a stream opened with it ends then
 */
public record SubscriberToken(List<TopicPattern> topics, Optional<String> subject, Instant acceptedUntil) {

    public boolean grants(Topic topic) {
        for (TopicPattern pattern : topics) {
            if (pattern.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
