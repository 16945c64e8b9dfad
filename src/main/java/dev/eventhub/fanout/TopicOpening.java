package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;

/**
 * How one topic of a stream starts. A plain topic resumes from the stream's {@code Last-Event-ID}
 * (or starts live); a topic with a lead (presence: its snapshot) starts with that frame and continues
 * after the lead's position, whatever the id says. {@link #close()} runs when the stream ends.
 */
public interface TopicOpening {

    Topic topic();

    /**
     * The first frame of this topic, with the position it continues after; null for none. Called
     * once, when the stream starts; a failure ends the stream (the browser retries).
     */
    default Uni<Frame> lead() {
        return null;
    }

    /** The stream ended (it is called once, after {@link #lead()}). */
    default void close() {}

    /** A plain topic. */
    static TopicOpening of(Topic topic) {
        return () -> topic;
    }
}
