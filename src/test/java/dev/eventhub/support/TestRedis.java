package dev.eventhub.support;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The real Redis that tests use: {@code REDIS_TEST_URL}, or 127.0.0.1:6379 (which .ci/run starts
 * when it is missing). Every run writes under its own key prefix and removes only its own keys.
 */
public final class TestRedis {

    public static final String URL = System.getenv().getOrDefault("REDIS_TEST_URL", "redis://127.0.0.1:6379");

    private TestRedis() {}

    /** A prefix no other run or test uses. */
    public static String uniquePrefix() {
        return "test:" + UUID.randomUUID() + ":";
    }

    public static Redis client(Vertx vertx) {
        return Redis.createClient(
                vertx,
                new RedisOptions().setConnectionString(URL).setMaxPoolSize(8).setMaxPoolWaiting(10_000));
    }

    /**
     * A cluster client to the JVM's shared 3-master cluster ({@link RedisCluster#shared()}), as the hub
     * builds it with {@code quarkus.redis.client-type=cluster} and the seed nodes in its hosts. The
     * cluster lives only as long as the JVM, so tests on it leave their keys.
     */
    public static Redis clusterClient(Vertx vertx) {
        return clusterClient(vertx, RedisCluster.shared());
    }

    public static Redis clusterClient(Vertx vertx, RedisCluster cluster) {
        RedisOptions options = new RedisOptions()
                .setType(RedisClientType.CLUSTER)
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(10_000);
        for (String url : cluster.urls().split(",")) {
            options.addConnectionString(url);
        }
        return Redis.createClient(vertx, options);
    }

    public static Response send(Redis redis, Command command, String... args) {
        Request request = Request.cmd(command);
        for (String arg : args) {
            request.arg(arg);
        }
        return redis.send(request).await().atMost(Duration.ofSeconds(5));
    }

    /** Deletes every key under {@code prefix} (SCAN, tests only: never on a request path). */
    public static void deleteKeys(Redis redis, String prefix) {
        String cursor = "0";
        do {
            Response page = send(redis, Command.SCAN, cursor, "MATCH", prefix + "*", "COUNT", "1000");
            cursor = page.get(0).toString();
            List<String> keys = new ArrayList<>();
            page.get(1).forEach(k -> keys.add(k.toString()));
            if (!keys.isEmpty()) {
                send(redis, Command.DEL, keys.toArray(String[]::new));
            }
        } while (!"0".equals(cursor));
    }

    /** Redis's clock (TIME), in ms: what presence expiry runs on. */
    public static long millis(Redis redis) {
        Response time = send(redis, Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    /** Waits until Redis's clock has moved on by {@code duration} (for TTLs that Lua scripts decide). */
    public static void awaitClock(Redis redis, Duration duration) {
        long until = millis(redis) + duration.toMillis();
        Await.until("Redis's clock to pass " + duration, () -> millis(redis) >= until);
    }

    /** Deletes every key under {@code prefix} with a connection of its own (for test classes without one). */
    public static void deleteKeys(String prefix) {
        Vertx vertx = Vertx.vertx();
        Redis client = client(vertx);
        try {
            deleteKeys(client, prefix);
        } finally {
            client.close();
            vertx.closeAndAwait();
        }
    }

    /** Replaces a topic's head and log in one step (a flush, a failover or a restore behind the hub's back). */
    private static final String SET_TOPIC = "redis.call('DEL', KEYS[1], KEYS[2]) "
            + "if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1]) end "
            + "for i = 2, #ARGV do redis.call('LPUSH', KEYS[2], ARGV[i]) end";

    /** {@code head} {@link EventId#START}: no head, no log; {@code events} oldest first. */
    public static void setTopic(Redis redis, String headKey, String logKey, EventId head, List<StoredEvent> events) {
        List<String> args =
                new ArrayList<>(List.of(SET_TOPIC, "2", headKey, logKey, head.isStart() ? "" : head.toString()));
        events.forEach(e -> args.add(e.id() + " " + e.json()));
        send(redis, Command.EVAL, args.toArray(String[]::new));
    }

    /**
     * Calls of each command but INFO since the server started, from INFO commandstats (commands a
     * script runs count under their own names): the difference of two readings is exactly what ran
     * in between, whatever the readings themselves cost. Only meaningful on a server no other
     * client uses.
     */
    public static Map<String, Long> commandCallsButInfo(Redis redis) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : send(redis, Command.INFO, "commandstats").toString().split("\\r?\\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                int from = line.indexOf("calls=") + "calls=".length();
                calls.put(
                        line.substring("cmdstat_".length(), line.indexOf(':')),
                        Long.parseLong(line.substring(from, line.indexOf(',', from))));
            }
        }
        return calls;
    }

    /** What ran between two {@link #commandCallsButInfo} readings: command to calls, none at 0. */
    public static Map<String, Long> ranBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> ran = new TreeMap<>();
        after.forEach((command, calls) -> {
            long delta = calls - before.getOrDefault(command, 0L);
            if (delta != 0) {
                ran.put(command, delta);
            }
        });
        return ran;
    }

    /** Calls of one command since the server started, from INFO commandstats (0 if never called). */
    public static long commandCalls(Redis redis, String command) {
        String info = send(redis, Command.INFO, "commandstats").toString();
        String marker = "cmdstat_" + command.toLowerCase() + ":calls=";
        int at = info.indexOf(marker);
        if (at < 0) {
            return 0;
        }
        int from = at + marker.length();
        int to = info.indexOf(',', from);
        return Long.parseLong(info.substring(from, to));
    }
}
