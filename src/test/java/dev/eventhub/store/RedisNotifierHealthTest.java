package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.store.redis.RedisNotifier;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TcpProxy;
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

    private static final String CHANNEL = "test:notifier-health:notify";

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
            RedisNotifier notifier = new RedisNotifier(
                    redis,
                    CHANNEL,
                    vertx,
                    (topic, id, json) -> {},
                    polls::incrementAndGet,
                    new RedisNotifier.Health(Duration.ofMillis(200), Duration.ofMillis(500)));
            notifier.start();
            try {
                Await.until("subscribed", () -> notifier.connected() && subscribers(server) == 1);
                proxy.partition();
                Await.until("the dead subscription found", () -> !notifier.connected());
                int pollsWhenLost = polls.get();
                assertTrue(pollsWhenLost >= 1, "the fan-out is told to poll when the subscription is lost");
                proxy.heal();
                Await.until(
                        "subscribed again (NUMSUB " + subscribers(server) + ")",
                        () -> notifier.connected() && subscribers(server) == 1);
            } finally {
                notifier.stop();
                redis.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static int subscribers(RedisServerProcess server) {
        String reply = server.call("PUBSUB", "NUMSUB", CHANNEL);
        return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1));
    }
}
