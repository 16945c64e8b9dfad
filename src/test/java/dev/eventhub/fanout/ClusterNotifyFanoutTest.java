package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.Frame;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisCluster;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The fan-out contract with pub/sub notifications, on a local 3-master Redis Cluster. */
class ClusterNotifyFanoutTest extends RedisNotifyFanoutTest {

    @Override
    protected boolean cluster() {
        return true;
    }

    /** PUBSUB answers for its own node only: the union over every node of the cluster. */
    @Override
    protected Set<String> subscribedChannels() {
        String kind = notifiers.get(0).sharded() ? "SHARDCHANNELS" : "CHANNELS";
        Set<String> channels = new HashSet<>();
        onEachNode(node -> {
            TestRedis.send(node, Command.PUBSUB, kind, prefix + "*").forEach(c -> channels.add(c.toString()));
            return 0L;
        });
        return channels;
    }

    @Override
    protected long subscribers(String channel) {
        String kind = notifiers.get(0).sharded() ? "SHARDNUMSUB" : "NUMSUB";
        return onEachNode(node -> TestRedis.send(node, Command.PUBSUB, kind, channel)
                        .get(1)
                        .toLong())
                .stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /**
     * What a publish costs the cluster: one script run (EVALSHA) on the topic's master, whose
     * SPUBLISH reaches only that shard's subscribers; no classic PUBLISH (which a cluster copies to
     * every node).
     */
    @Test
    void aPublishOnAClusterIsOneShardMessageAndNoBroadcast() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        Await.until(
                "subscribed", () -> subscribers(((RedisEventStore) store).keys().notifyChannel(topic)) == 1);
        long evals = total("evalsha");
        long spublishes = total("spublish");
        long publishes = total("publish");
        for (int n = 1; n <= 10; n++) {
            publish(topic, n);
        }
        Await.until("all ten delivered", () -> numbers(sub).size() == 10);
        // EVALSHA also counts this fan-out's reads (its poll runs every 50 ms): at least one per publish.
        assertTrue(total("evalsha") - evals >= 10, "one script run per publish");
        assertEquals(10, total("spublish") - spublishes, "one shard message per publish, inside the script");
        assertEquals(0, total("publish") - publishes, "no cluster-wide broadcast");
    }

    private long total(String command) {
        return onEachNode(node -> TestRedis.commandCalls(node, command)).stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private List<Long> onEachNode(Function<Redis, Long> query) {
        io.vertx.mutiny.core.Vertx mutinyVertx = new io.vertx.mutiny.core.Vertx(vertx);
        return RedisCluster.shared().nodes().stream()
                .map(node -> {
                    Redis client = Redis.createClient(mutinyVertx, "redis://127.0.0.1:" + node.port());
                    try {
                        return query.apply(client);
                    } finally {
                        client.close();
                    }
                })
                .toList();
    }
}
