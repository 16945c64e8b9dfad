package dev.eventhub.fanout;

import dev.eventhub.support.RedisCluster;
import dev.eventhub.support.TestRedis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
