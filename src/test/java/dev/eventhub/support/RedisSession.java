package dev.eventhub.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's connection to the test Redis, with a fresh key prefix for every test and the
 * test's keys removed after it. Register it with {@code @RegisterExtension static final}.
 * {@link #cluster()}: the same on the JVM's local Redis Cluster, whose keys go with the JVM.
 */
public final class RedisSession implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final boolean cluster;
    private Vertx vertx;
    private Redis client;
    private String prefix;

    public RedisSession() {
        this(false);
    }

    private RedisSession(boolean cluster) {
        this.cluster = cluster;
    }

    /** A session on {@link RedisCluster#shared()} with a cluster client. */
    public static RedisSession cluster() {
        return new RedisSession(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
        client = cluster ? TestRedis.clusterClient(vertx) : TestRedis.client(vertx);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        vertx.closeAndAwait();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefix = TestRedis.uniquePrefix();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!cluster) {
            TestRedis.deleteKeys(client, prefix);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public Redis client() {
        return client;
    }

    /** This test's key prefix; no other test or run uses it. */
    public String prefix() {
        return prefix;
    }
}
