package dev.eventhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.fanout.ReplayPlan;
import dev.eventhub.security.ReadAccess;
import dev.eventhub.store.EventStore;
import dev.eventhub.topic.Topic;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/history/{type}/{id}/{channel}?after=<id>}: the retained events after an id, for
 * clients that cannot hold a stream open. It decides like a resuming stream: every event after
 * {@code after}, or {@code resync: true} (and no events) when they are not all retained.
 */
@Path("/api/history/{type}/{id}/{channel}")
public class HistoryResource {

    /** One retained event; {@code data} is the event's JSON as subscribers receive it. */
    @RegisterForReflection
    public record Entry(String id, @JsonRawValue String data) {}

    /** The answer: the head to continue from, and the events or a resync. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(String topic, String head, boolean resync, String reason, List<Entry> events) {}

    @Inject
    EventStore store;

    @Inject
    ReadAccess access;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<History> history(
            @RestPath String type, @RestPath String id, @RestPath String channel, @RestQuery String after) {
        Topic topic = Topic.parse(type, id, channel);
        access.history(topic);
        EventId from = null;
        if (after != null) {
            from = EventId.parse(after)
                    .orElseThrow(() -> new BadQueryException(
                            "\"after\" must be an event id such as k3x9q2ma-17, or 0-0 for the start."));
        }
        EventId position = from;
        return store.readAfter(topic, position).map(slice -> {
            List<StoredEvent> events = slice.events();
            if (position == null) {
                return new History(topic.name(), slice.head().toString(), false, null, entries(events, 0));
            }
            long oldest = events.isEmpty() ? 0 : events.get(0).id().sequence();
            ReplayPlan plan = ReplayPlan.plan(slice.head(), oldest, position);
            if (plan.outcome() == ReplayPlan.Outcome.REPLAY) {
                return new History(
                        topic.name(), slice.head().toString(), false, null, entries(events, plan.afterSequence()));
            }
            // A fresh read: an id still ahead of it (AHEAD) resyncs with the plan's reason.
            return new History(
                    topic.name(), slice.head().toString(), true, plan.reason().wire(), List.of());
        });
    }

    private static List<Entry> entries(List<StoredEvent> events, long afterSequence) {
        return events.stream()
                .filter(e -> e.id().sequence() > afterSequence)
                .map(e -> new Entry(e.id().toString(), e.json()))
                .toList();
    }
}
