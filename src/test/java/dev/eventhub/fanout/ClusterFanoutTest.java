package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.store.redis.HashSlot;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisCluster;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.mutiny.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fan-out contract, polling only, on a local 3-master Redis Cluster. */
class ClusterFanoutTest extends RedisFanoutTest {

    @Override
    protected boolean cluster() {
        return true;
    }

    /** On a cluster a command may not span slots: a tick is one MGET per slot with active topics. */
    @Test
    void idleStreamsOnAClusterCostOneMgetPerActiveSlotPerTick() throws Exception {
        List<Topic> topics = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int t = 0; t < 10; t++) {
            Topic topic = newTopic();
            topics.add(topic);
            slots.add(HashSlot.of(
                    ((dev.eventhub.store.redis.RedisEventStore) store).keys().head(topic)));
            publish(topic, 0);
            for (int s = 0; s < 20; s++) {
                fanout.subscribe(topic, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            }
        }
        Await.until(
                "200 live",
                () -> topics.stream().mapToInt(fanout::liveSubscribers).sum() == 200);
        io.vertx.mutiny.core.Vertx mutinyVertx = new io.vertx.mutiny.core.Vertx(vertx);
        List<Redis> nodes = new ArrayList<>();
        for (RedisCluster.Node node : RedisCluster.shared().nodes()) {
            nodes.add(Redis.createClient(mutinyVertx, "redis://127.0.0.1:" + node.port()));
        }
        try {
            long mgetBefore = sum(nodes, "mget");
            long evalBefore = sum(nodes, "evalsha");
            long started = System.nanoTime();
            Thread.sleep(1_000); // measuring a rate over a fixed window: the sleep is the measurement
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            long mgets = sum(nodes, "mget") - mgetBefore;
            long evals = sum(nodes, "evalsha") - evalBefore;
            long ticks = elapsedMillis / POLL.toMillis();
            String what = mgets + " MGETs in " + ticks + " ticks for 10 topics in " + slots.size() + " slots";
            assertTrue(mgets <= (ticks + 2) * slots.size(), what);
            assertTrue(mgets >= ticks / 2 * slots.size(), what);
            assertEquals(0, evals, "no log is read while no head moves");
        } finally {
            nodes.forEach(Redis::close);
        }
    }

    private static long sum(List<Redis> nodes, String command) {
        return nodes.stream().mapToLong(n -> TestRedis.commandCalls(n, command)).sum();
    }
}
