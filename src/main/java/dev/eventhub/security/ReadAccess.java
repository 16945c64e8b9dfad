package dev.eventhub.security;

import dev.eventhub.config.SecurityConfig;
import dev.eventhub.ops.StreamGauges;
import dev.eventhub.security.NotAuthenticatedException.Reason;
import dev.eventhub.topic.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who may read a topic, by stream or history. A public topic is open to anyone; a private one needs
 * a subscriber token granting it (or the app's publish key). A token that is sent is always
 * checked, on public topics too: an invalid or expired one is refused (401), never ignored, and a
 * valid one bounds the stream by its expiry and supplies the viewer id.
 */
@ApplicationScoped
public class ReadAccess {

    @Inject
    RequestCredentials credentials;

    @Inject
    TopicPolicy policy;

    @Inject
    StreamGauges fanout;

    @Inject
    SecurityConfig config;

    /**
     * Admits a new stream on {@code topic}, before anything is written to it.
     *
     * @throws NotAuthenticatedException 401: no token for a private topic, or a refused token
     * @throws TopicNotGrantedException 403: a valid token that does not grant this private topic
     * @throws TooManyStreamsException 503: this instance holds {@code realtime.stream.max-open} streams
     */
    public ReadGrant stream(Topic topic) {
        return stream(List.of(topic));
    }

    /**
     * Admits one stream of several topics: each is checked as {@link #stream(Topic)} checks one (the
     * first refused answers), and the stream counts once against the limit.
     */
    public ReadGrant stream(List<Topic> topics) {
        ReadGrant grant = null;
        for (Topic topic : topics) {
            grant = admit(topic);
        }
        // Checked against the live count: concurrent admissions can overshoot by the few requests in
        // flight on the event loops at that instant, which the open-files headroom absorbs.
        if (fanout.openStreams() >= config.stream().maxOpen()) {
            long base = Math.max(1, config.stream().fullRetryAfter().toSeconds());
            throw new TooManyStreamsException(ThreadLocalRandom.current().nextLong(base, 2 * base + 1));
        }
        return grant;
    }

    /** Admits a history read of {@code topic}: as {@link #stream} without the stream limit. */
    public ReadGrant history(Topic topic) {
        return admit(topic);
    }

    private ReadGrant admit(Topic topic) {
        if (credentials.publisher()) {
            return ReadGrant.UNLIMITED;
        }
        Optional<SubscriberToken> token = credentials.token();
        if (policy.isPrivate(topic)) {
            if (token.isEmpty()) {
                throw new NotAuthenticatedException(
                        Reason.TOKEN_MISSING,
                        "This topic is private: send a subscriber "
                                + "token as the token query parameter, an Authorization: Bearer header or the realtime_token cookie.");
            }
            if (!token.get().grants(topic)) {
                throw new TopicNotGrantedException("The subscriber token does not grant " + topic.name() + ".");
            }
        }
        return token.map(ReadGrant::of).orElse(ReadGrant.UNLIMITED);
    }
}
