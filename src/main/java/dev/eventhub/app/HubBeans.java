package dev.eventhub.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.config.HubConfig;
import dev.eventhub.config.PresenceConfig;
import dev.eventhub.config.SettingConflicts;
import dev.eventhub.event.EventFactory;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.fanout.ReaderListener;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.store.redis.EvictionPolicyCheck;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisNotifier;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the hub: chooses the store (Redis when a Redis URL is configured, otherwise memory, and says
 * which in the log), builds the fan-out over it, and starts and stops its timers with the app.
 */
@Singleton
public class HubBeans {

    private static final long MEMORY_SWEEP_MILLIS = 60_000;

    @Produces
    @Singleton
    EventStore store(
            HubConfig config,
            PresenceConfig presence,
            Instance<Redis> redis,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> redisHosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        HubConfig.StoreKind kind = config.store();
        boolean useRedis = kind == HubConfig.StoreKind.REDIS
                || (kind == HubConfig.StoreKind.AUTO
                        && redisHosts.filter(h -> !h.isBlank()).isPresent());
        SettingConflicts.check(config, presence);
        HubConfig.History history = config.history();
        HubConfig.Publish publish = config.publish();
        if (publish.idempotencyTtl().isNegative()
                || publish.idempotencyTtl().isZero()
                || publish.idempotencyMaxKeys() < 1) {
            throw new IllegalStateException(
                    "realtime.publish.idempotency-ttl and realtime.publish.idempotency-max-keys must be positive");
        }
        if (useRedis) {
            boolean cluster = isCluster(clientType);
            String where = (cluster ? "cluster seeded by " : "")
                    + redisHosts.map(HubBeans::hostOnly).orElse("the configured Redis");
            return new RedisEventStore(
                    redis.get(),
                    config.redis().keyPrefix(),
                    new RedisEventStore.Settings(
                            history.size(),
                            history.ttl(),
                            history.headTtl(),
                            config.notifyMode() == HubConfig.NotifyMode.PUBSUB,
                            config.notifyInlineMaxBytes(),
                            config.storeTimeout(),
                            publish.minReplicas(),
                            publish.idempotencyTtl()),
                    "redis at " + where,
                    cluster);
        }
        MemoryEventStore memory = new MemoryEventStore(
                history.size(),
                history.ttl(),
                history.headTtl(),
                config.memory().maxTopics(),
                publish.idempotencyTtl(),
                publish.idempotencyMaxKeys(),
                Clock.systemUTC());
        vertx.setPeriodic(MEMORY_SWEEP_MILLIS, id -> memory.sweep());
        return memory;
    }

    private RedisNotifier notifier;

    @Produces
    @Singleton
    Fanout fanout(EventStore store, Vertx vertx, HubConfig config, Instance<Redis> redis, HubStats stats) {
        Fanout fanout = new Fanout(
                store,
                vertx,
                new Fanout.Settings(
                        config.pollInterval(),
                        config.pollMaxInterval(),
                        config.heartbeat(),
                        config.retry(),
                        config.stream().bufferSize(),
                        config.history().size(),
                        config.stream().maxLifetime(),
                        config.stream().bufferBytes(),
                        config.stream().totalBufferBytes()),
                stats);
        if (store instanceof MemoryEventStore memory) {
            memory.onAppend(fanout);
            fanout.notificationsActive(() -> true); // appends reach the fan-out directly
        } else if (store instanceof RedisEventStore shared && config.notifyMode() == HubConfig.NotifyMode.PUBSUB) {
            notifier = new RedisNotifier(
                    redis.get(),
                    shared,
                    vertx,
                    fanout,
                    fanout::pollNow,
                    new RedisNotifier.Health(config.notifyPingInterval(), config.storeTimeout()));
            fanout.notificationsActive(notifier::connected);
            fanout.readerListener(ReaderListener.watching(notifier));
        }
        return fanout;
    }

    @Produces
    @Singleton
    HubStats stats() {
        return new HubStats();
    }

    @Produces
    @Singleton
    EventFactory events(ObjectMapper mapper) {
        return new EventFactory(
                mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS), Clock.systemUTC());
    }

    void start(@Observes StartupEvent event, EventStore store, Fanout fanout, HubConfig config) {
        fanout.start();
        if (notifier != null) {
            notifier.start();
        }
        if (store instanceof RedisEventStore redis) {
            new EvictionPolicyCheck(redis).run().subscribe().with(ok -> {});
        }
        if (store.shared()) {
            Log.infof("Event store: %s; instances sharing it serve the same streams", store.describe());
        } else {
            Log.infof(
                    "Event store: %s. No Redis URL is set (REDIS_URL): events are not shared with other "
                            + "instances and are lost on restart",
                    store.describe());
        }
        Log.infof(
                "Polling active topics every %s (up to %s while quiet and notified), notify=%s, keeping %d "
                        + "events per topic for %s",
                config.pollInterval(),
                config.pollMaxInterval(),
                config.notifyMode().name().toLowerCase(),
                config.history().size(),
                config.history().ttl());
    }

    /**
     * Graceful shutdown, first phase (Quarkus's shutdown delay, as long as the drain window): take
     * no new streams (503, readiness down) and end the open ones spread over the window, while
     * the server still serves, so each stream gets its closing {@code retry:} frame.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event, Fanout fanout, HubConfig config) {
        fanout.drain(config.shutdown().drain());
    }

    /** Second phase: in-flight publishes have had {@code quarkus.shutdown.timeout}; stop the timers. */
    void stop(@Observes ShutdownEvent event, Fanout fanout) {
        if (notifier != null) {
            notifier.stop();
        }
        fanout.stop();
        Log.infof("Stopped: %d streams were still open", fanout.openStreams());
    }

    /** {@code redis://user:secret@host:6379/0} to {@code host:6379}: never log credentials. */
    /**
     * Whether {@code quarkus.redis.client-type} names a Redis Cluster; {@code standalone} is the other
     * one supported. Sentinel and the replication client type stop the start: their failover is
     * neither built for nor tested (docs/scaling.md).
     */
    static boolean isCluster(String clientType) {
        if ("cluster".equalsIgnoreCase(clientType)) {
            return true;
        }
        if ("standalone".equalsIgnoreCase(clientType)) {
            return false;
        }
        throw new IllegalStateException("quarkus.redis.client-type=" + clientType
                + " is not supported: use standalone (one primary, optionally with replicas) or cluster");
    }

    static String hostOnly(String hosts) {
        String first = hosts.split(",")[0].trim();
        try {
            URI uri = URI.create(first);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "the configured Redis";
        }
    }
}
