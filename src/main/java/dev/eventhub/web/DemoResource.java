package dev.eventhub.web;

import dev.eventhub.api.PayloadTooLargeException;
import dev.eventhub.api.PublishResource.Published;
import dev.eventhub.config.HubConfig;
import dev.eventhub.config.WebConfig;
import dev.eventhub.event.EventFactory;
import dev.eventhub.ops.HubStats;
import dev.eventhub.security.PublishRateLimiter;
import dev.eventhub.store.EventStore;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The demo, only when {@code realtime.demo=true} (else every path here is 404, so it is no way
 * around the publish keys): {@code GET /demo} is a trip page on {@code /realtime.js}, and
 * {@code POST /demo/publish/{id}/{channel}} publishes what its buttons do, without a key. That
 * endpoint is open to anyone who reaches the hub, so it is confined to the demo's own topics
 * ({@code trip/demo} and {@code trip/demo-*}, not presence) and to {@code realtime.demo-publish-rate}
 * for everyone together, and events are validated as any publish is. docs/client.md#the-demo.
 */
@Path("/demo")
public class DemoResource {

    static final String PAGE = "web/demo.html";

    @Inject
    WebConfig config;

    @Inject
    EventStore store;

    @Inject
    EventFactory events;

    @Inject
    HubStats stats;

    @Inject
    HubConfig hub;

    private final StaticAsset page = StaticAsset.load(PAGE, "text/html; charset=utf-8");
    private PublishRateLimiter limiter;

    @PostConstruct
    void init() {
        int rate = config.demoPublishRate();
        limiter = new PublishRateLimiter(1, rate, 2 * rate, System::nanoTime);
    }

    void start(@Observes StartupEvent event) {
        if (config.demo()) {
            Log.warnf(
                    "The demo is on (REALTIME_DEMO=true): /demo, and anyone may publish on trip/demo* without a "
                            + "publish key, up to %d/s. Never in production.",
                    config.demoPublishRate());
        }
    }

    @GET
    public Response page(@RestHeader("If-None-Match") String ifNoneMatch) {
        requireEnabled();
        return page.serve(ifNoneMatch, "no-cache");
    }

    @POST
    @Path("/publish/{id}/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> publish(@RestPath String id, @RestPath String channel, byte[] body) {
        requireEnabled();
        Topic topic = Topic.parse(EntityType.TRIP.segment(), id, channel);
        if (!isDemoTopic(topic)) {
            throw new ForbiddenException();
        }
        int limit = hub.publish().maxBodyBytes();
        if (body != null && body.length > limit) {
            throw new PayloadTooLargeException(limit);
        }
        limiter.acquire(0); // 429 with Retry-After beyond the demo's rate
        String json = events.create(topic, body == null ? new byte[0] : body);
        return store.append(topic, json).map(eventId -> {
            stats.published.increment();
            return RestResponse.status(RestResponse.Status.CREATED, new Published(eventId.toString(), topic.name()));
        });
    }

    /** The demo's topics: {@code trip/demo} and {@code trip/demo-*}; never presence, which is the hub's own. */
    static boolean isDemoTopic(Topic topic) {
        return topic.type() == EntityType.TRIP
                && topic.channel() != Channel.PRESENCE
                && (topic.id().equals("demo") || topic.id().startsWith("demo-"));
    }

    private void requireEnabled() {
        if (!config.demo()) {
            throw new NotFoundException();
        }
    }
}
