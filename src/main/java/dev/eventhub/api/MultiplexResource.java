package dev.eventhub.api;

import dev.eventhub.config.HubConfig;
import dev.eventhub.event.TopicFields;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.fanout.TopicOpening;
import dev.eventhub.presence.PresenceService;
import dev.eventhub.security.ReadAccess;
import dev.eventhub.security.ReadGrant;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/subscribe?topic=trip/123/comments&topic=trip/123/likes}: one SSE stream of
 * several topics (at most {@code realtime.stream.max-topics}), for a page that shows many. Headers,
 * {@code retry:}, heartbeats and lifetime are those of the one-topic stream; its {@code id:} is one
 * cursor for all topics, which {@code Last-Event-ID} or {@code ?lastEventId=} resumes (see
 * docs/replay.md); presence topics open with their snapshot, and the hub's own messages name their
 * topic. Private topics need a token granting each of them.
 */
@Path("/api/subscribe")
public class MultiplexResource {

    private static final String TOKEN_EXPIRED = ReadGrant.TOKEN_EXPIRED;

    @Inject
    Fanout fanout;

    @Inject
    ReadAccess access;

    @Inject
    PresenceService presence;

    @Inject
    HubConfig config;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> subscribe(
            @RestQuery("topic") List<String> topic,
            @RestHeader("Last-Event-ID") String lastEventIdHeader,
            @RestQuery String lastEventId,
            @Context Sse sse,
            HttpServerResponse response,
            @BeanParam PresenceStreamParams presenceParams) {
        List<Topic> topics = TopicQuery.parse(topic, config.stream().maxTopics());
        if (fanout.draining()) {
            throw new DrainingException();
        }
        ReadGrant grant = access.stream(topics); // 401/403/503 here, before the stream opens
        SseFrames.streamHeaders(response);
        // A token's verified sub is the viewer: nobody can appear as someone else. Without one,
        // ?viewer= is an unverified claim (or refused: realtime.presence.anonymous-viewers).
        boolean verified = grant.viewer().isPresent();
        String viewer = grant.viewer().orElse(presenceParams.viewer);
        List<TopicOpening> openings = topics.stream()
                .map(t -> t.channel() == Channel.PRESENCE
                        ? presence.opening(t, viewer, verified, presenceParams.display())
                        : TopicOpening.of(t))
                .toList();
        String resumeFrom = lastEventIdHeader != null ? lastEventIdHeader : lastEventId;
        // Written by the fan-out straight to the response (see SubscribeResource).
        Multi<OutboundSseEvent> stream = fanout.serve(openings, resumeFrom, true, response);
        // A token's stream ends when the token does, with one token_expired per topic so that each
        // topic's handler learns it.
        return grant.endAtExpiryWith(
                stream,
                () -> topics.stream()
                        .map(t -> sse.newEventBuilder()
                                .data(TopicFields.routed(t, TOKEN_EXPIRED))
                                .build())
                        .toList());
    }
}
