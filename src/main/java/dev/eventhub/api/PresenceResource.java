package dev.eventhub.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.eventhub.presence.PresenceService;
import dev.eventhub.security.ReadAccess;
import dev.eventhub.security.Roles;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Presence for the app's server: {@code PUT .../viewers/{viewerId}} makes a viewer present for
 * {@code realtime.presence.ttl} (call again to stay), {@code DELETE} ends that, {@code GET} lists who
 * is present. Streams ({@code /api/subscribe/{type}/{id}/presence?viewer=}) keep their viewers
 * present by themselves. PUT and DELETE are writes: they need a publish key ({@link Roles#PUBLISHER});
 * GET is a read, public unless the entity's topics are private. See docs/presence.md.
 */
@Path("/api/presence/{type}/{id}")
public class PresenceResource {

    @Inject
    ReadAccess access;

    /** The answer to a PUT or DELETE: the viewer, whether it joined (or left), and how many are present. */
    public record Tracked(String topic, @JsonRawValue String viewer, boolean joined, int count) {}

    public record Removed(String topic, @JsonRawValue String viewer, boolean left, int count) {}

    /** Who is present: {@code viewers} holds at most {@code realtime.presence.snapshot-limit}, {@code count} all. */
    public record Viewers(
            String topic, int count, @JsonRawValue String viewers) {}

    @Inject
    PresenceService presence;

    @PUT
    @RolesAllowed(Roles.PUBLISHER)
    @Path("/viewers/{viewerId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Tracked> track(
            @RestPath String type,
            @RestPath String id,
            @RestPath String viewerId,
            @RestHeader("Content-Type") String contentType,
            byte[] body) {
        Topic topic = Topic.parse(type, id, Channel.PRESENCE.segment());
        if (body != null && body.length > 0 && !PublishResource.isJson(contentType)) {
            throw new UnsupportedContentTypeException();
        }
        return presence.track(topic, viewerId, body)
                .map(change -> new Tracked(topic.name(), change.viewer().json(), change.changed(), change.count()));
    }

    @DELETE
    @RolesAllowed(Roles.PUBLISHER)
    @Path("/viewers/{viewerId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Removed> remove(@RestPath String type, @RestPath String id, @RestPath String viewerId) {
        Topic topic = Topic.parse(type, id, Channel.PRESENCE.segment());
        return presence.remove(topic, viewerId)
                .map(change -> new Removed(topic.name(), change.viewer().json(), change.changed(), change.count()));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Viewers> list(@RestPath String type, @RestPath String id) {
        Topic topic = Topic.parse(type, id, Channel.PRESENCE.segment());
        access.history(topic); // who is viewing a private entity is as private as its events
        return presence.list(topic)
                .map(snapshot -> new Viewers(topic.name(), snapshot.count(), snapshot.viewersJson()));
    }
}
