package dev.eventhub.api;

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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/subscribe/{type}/{id}/{channel}}: an SSE stream. It opens at once with
 * {@code retry:}; resumes from {@code Last-Event-ID} (header, as browsers send on reconnect) or
 * {@code lastEventId} (query, for a first connection); then stays live. Private topics need a
 * subscriber token (see {@code security/ReadAccess}).
 */
@Path("/api/subscribe/{type}/{id}/{channel}")
public class SubscribeResource {

    @Inject
    Fanout fanout;

    @Inject
    ReadAccess access;

    @Inject
    PresenceService presence;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> subscribe(
            @RestPath String type,
            @RestPath String id,
            @RestPath String channel,
            @RestHeader("Last-Event-ID") String lastEventIdHeader,
            @RestQuery String lastEventId,
            @Context Sse sse,
            HttpServerResponse response,
            @BeanParam PresenceStreamParams presenceParams) {
        Topic topic = Topic.parse(type, id, channel);
        if (fanout.draining()) {
            throw new DrainingException();
        }
        ReadGrant grant = access.stream(topic); // 401/403/503 here, before the stream opens
        SseFrames.streamHeaders(response);
        if (topic.channel() == Channel.PRESENCE) {
            // A presence stream opens with a snapshot of who is present (instead of a replay) and
            // keeps ?viewer= present while it lasts: docs/presence.md.
            // A token's verified sub is the viewer: nobody can appear as someone else. Without one,
            // ?viewer= is an unverified claim (or refused: realtime.presence.anonymous-viewers).
            boolean verified = grant.viewer().isPresent();
            String viewer = grant.viewer().orElse(presenceParams.viewer);
            return grant.endAtExpiry(
                    fanout.serve(
                            List.of(presence.opening(topic, viewer, verified, presenceParams.display())),
                            null,
                            false,
                            response),
                    sse);
        }
        String resumeFrom = lastEventIdHeader != null ? lastEventIdHeader : lastEventId;
        // The stream's bytes are written by the fan-out straight to the response; RESTEasy sends the
        // headers, and ends the response when this item-less Multi completes.
        Multi<OutboundSseEvent> stream = fanout.serve(List.of(TopicOpening.of(topic)), resumeFrom, false, response);
        return grant.endAtExpiry(stream, sse); // a token's stream ends when the token does
    }
}
