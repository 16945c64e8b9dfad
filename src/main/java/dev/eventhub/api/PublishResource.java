package dev.eventhub.api;

import dev.eventhub.config.HubConfig;
import dev.eventhub.event.EventFactory;
import dev.eventhub.event.EventId;
import dev.eventhub.ops.HubStats;
import dev.eventhub.security.Roles;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.IdempotencyKey;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code POST /api/publish/{type}/{id}/{channel}}: validate, append to the log, answer 201 with the
 * id. Only holders of a publish key get here ({@code security/PublishKeyMechanism}). With an
 * {@code Idempotency-Key}, a retry within {@code realtime.publish.idempotency-ttl} gets the first
 * publish's 201 again (marked {@code Idempotent-Replayed: true}) and stores nothing; the store
 * decides it in the append's own atomic step.
 */
@Path("/api/publish/{type}/{id}/{channel}")
@RolesAllowed(Roles.PUBLISHER)
public class PublishResource {

    /** The answer to a publish: the event's id, once it is in the store. */
    @RegisterForReflection
    public record Published(String id, String topic) {}

    @Inject
    EventStore store;

    @Inject
    EventFactory events;

    @Inject
    HubConfig config;

    @Inject
    HubStats stats;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> publish(
            @RestPath String type,
            @RestPath String id,
            @RestPath String channel,
            @RestHeader("Content-Type") String contentType,
            HttpHeaders headers,
            byte[] body) {
        Topic topic = Topic.parse(type, id, channel);
        Optional<String> idempotencyKey =
                IdempotencyKeyHeader.parse(headers.getRequestHeader(IdempotencyKeyHeader.NAME));
        if (!isJson(contentType)) {
            throw new UnsupportedContentTypeException();
        }
        int limit = config.publish().maxBodyBytes();
        if (body != null && body.length > limit) {
            throw new PayloadTooLargeException(limit);
        }
        byte[] sent = body == null ? new byte[0] : body;
        String json = events.create(topic, sent);
        if (idempotencyKey.isEmpty()) {
            return store.append(topic, json).map(eventId -> published(topic, eventId));
        }
        return store.append(topic, json, IdempotencyKey.of(idempotencyKey.get(), sent))
                .map(appended -> switch (appended.outcome()) {
                    case STORED -> published(topic, appended.id());
                    case REPLAYED -> {
                        Log.debugf("Answered a retry on %s with %s", topic, appended.id());
                        yield RestResponse.ResponseBuilder.create(
                                        RestResponse.Status.CREATED,
                                        new Published(appended.id().toString(), topic.name()))
                                .header(IdempotencyKeyHeader.REPLAYED, "true")
                                .build();
                    }
                    case CONFLICT ->
                        throw new IdempotencyKeyException(
                                IdempotencyKeyException.Kind.REUSED,
                                "This Idempotency-Key was used on this topic with another body within "
                                        + "realtime.publish.idempotency-ttl; nothing was stored. Use a new key "
                                        + "for a new event.");
                });
    }

    private RestResponse<Published> published(Topic topic, EventId eventId) {
        stats.published.increment();
        Log.debugf("Published %s to %s", eventId, topic);
        return RestResponse.status(RestResponse.Status.CREATED, new Published(eventId.toString(), topic.name()));
    }

    /** {@code application/json} or any {@code application/*+json}, with or without parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                        || type.getSubtype().toLowerCase().endsWith("+json"));
    }
}
