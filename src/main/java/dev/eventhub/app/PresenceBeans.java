package dev.eventhub.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.config.HubConfig;
import dev.eventhub.config.PresenceConfig;
import dev.eventhub.config.SecurityConfig;
import dev.eventhub.event.EventFactory;
import dev.eventhub.event.EventId;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.presence.PresenceService;
import dev.eventhub.presence.PresenceStore;
import dev.eventhub.presence.PresenceTracker;
import dev.eventhub.presence.memory.MemoryPresenceStore;
import dev.eventhub.presence.redis.RedisPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.store.redis.RedisEventStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires presence on the event store that {@link HubBeans} chose: Redis presence with a Redis store,
 * memory presence with the memory store. Each instance gets a random id as its lease holder name.
 */
@Singleton
public class PresenceBeans {

    @Produces
    @Singleton
    PresenceStore presenceStore(EventStore store, PresenceConfig config, HubConfig hub, Vertx vertx) {
        if (config.snapshotLimit() < 1 || config.snapshotLimit() > 1000) {
            throw new IllegalStateException("realtime.presence.snapshot-limit must be 1 to 1000");
        }
        if (store instanceof RedisEventStore redis) {
            return new RedisPresenceStore(redis, config.ttl(), config.snapshotLimit(), Clock.systemUTC());
        }
        if (store instanceof MemoryEventStore memory) {
            MemoryPresenceStore presence = new MemoryPresenceStore(
                    memory, config.ttl(), config.snapshotLimit(), hub.memory().maxTopics(), Clock.systemUTC());
            vertx.setPeriodic(config.ttl().toMillis(), id -> presence.sweep());
            return presence;
        }
        throw new IllegalStateException("no presence store for " + store.describe());
    }

    @Produces
    @Singleton
    PresenceTracker tracker(PresenceStore store, Vertx vertx, PresenceConfig config) {
        return new PresenceTracker(store, vertx, "i-" + EventId.newEpoch(), config.refreshInterval());
    }

    @Produces
    @Singleton
    PresenceService presence(
            PresenceStore store,
            PresenceTracker tracker,
            Fanout fanout,
            EventFactory events,
            ObjectMapper mapper,
            PresenceConfig config,
            HubConfig hub,
            SecurityConfig security) {
        // With a token secret, viewers' identities come from tokens: anonymous ?viewer= is refused
        // unless explicitly allowed. Without one, the claim is all there is (and never overrides
        // display data the app's PUT set).
        boolean anonymous = config.anonymousViewers().orElse(!security.acceptsTokens());
        return new PresenceService(
                store, tracker, fanout, events, mapper, config.maxDisplayBytes(), hub.retry(), anonymous);
    }

    void start(@Observes StartupEvent event, PresenceTracker tracker, PresenceConfig config) {
        tracker.start();
        Log.infof(
                "Presence: instance %s renews its viewers every %s; a viewer not renewed for %s is gone",
                tracker.instanceId(), config.refreshInterval(), config.ttl());
    }

    /**
     * Before the fan-out ends the streams: their viewers keep this instance's leases, so browsers
     * that reconnect elsewhere stay present without a leave and a join (see PresenceTracker#stop).
     */
    void stop(@Observes @Priority(1) ShutdownEvent event, PresenceTracker tracker) {
        tracker.stop();
    }
}
