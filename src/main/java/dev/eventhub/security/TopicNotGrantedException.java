package dev.eventhub.security;

/** A valid subscriber token whose {@code topics} claim does not cover the private topic asked for: 403. */
public class TopicNotGrantedException extends RuntimeException {

    public TopicNotGrantedException(String message) {
        super(message, null, false, false);
    }
}
