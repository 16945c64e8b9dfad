package dev.eventhub.store;

import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisNotifier;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TcpProxy;
import dev.eventhub.topic.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A subscription whose connection is black-holed is found dead by its PING and made again after healing. */
class RedisNotifierHealthTest {

    private static final Topic TOPIC = Topic.parse("trip", "health", "comments");

    @Test
    void aBlackHoledSubscriptionIsFoundByItsPingAndSubscribedAgainAfterHealing() {
        Vertx vertx = Vertx.vertx();
        try (RedisServerProcess server = RedisServerProcess.start();
                TcpProxy proxy = TcpProxy.to(server.port())) {
            RedisOptions options = new RedisOptions().setConnectionString(proxy.url());
            NetClientOptions net = options.getNetClientOptions();
            net.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setReadIdleTimeout(700);
            Redis redis = Redis.createClient(new io.vertx.mutiny.core.Vertx(vertx), options);
            AtomicInteger polls = new AtomicInteger();
            RedisEventStore store = new RedisEventStore(
                    redis,
                    "test:notifier-health:",
                    RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), true, 16384),
                    "own");
            String channel = store.keys().notifyChannel(TOPIC);
            RedisNotifier notifier = new RedisNotifier(
                    redis,
                    store,
                    vertx,
                    (topic, id, json) -> {},
                    polls::incrementAndGet,
                    new RedisNotifier.Health(Duration.ofMillis(200), Duration.ofMillis(500)));
            notifier.watch(TOPIC);
            notifier.start();
            try {
                Await.until("subscribed", () -> notifier.connected() && subscribers(server, channel) == 1);
                int pollsBefore = polls.get();
                proxy.partition();
                Await.until("the dead subscription found", () -> !notifier.connected());
                Await.until("the fan-out told to poll when the subscription is lost", () -> polls.get() > pollsBefore);
                proxy.heal();
                Await.until(
                        "subscribed again (SHARDNUMSUB " + subscribers(server, channel) + ")",
                        () -> notifier.connected() && subscribers(server, channel) == 1);
            } finally {
                notifier.stop();
                redis.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static int subscribers(RedisServerProcess server, String channel) {
        String reply = server.call("PUBSUB", "SHARDNUMSUB", channel);
        return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1));
    }
}
