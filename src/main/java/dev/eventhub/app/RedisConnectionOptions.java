package dev.eventhub.app;

import dev.eventhub.config.HubConfig;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * How every Redis connection the hub opens behaves on a network that fails quietly (a NAT or load
 * balancer that drops idle flows without a FIN, a partition):
 *
 * <ul>
 *   <li>TCP keep-alive, first probe after {@value #KEEP_ALIVE_IDLE_SECONDS} s idle, then every
 *       {@value #KEEP_ALIVE_INTERVAL_SECONDS} s, {@value #KEEP_ALIVE_PROBES} probes: a dead peer is found
 *       and idle flows stay known to middleboxes (Azure drops them after 4 to 10 minutes);
 *   <li>connecting takes at most {@code realtime.store.timeout};
 *   <li>a connection that reads nothing for {@code realtime.notify-ping-interval} plus
 *       {@code realtime.store.timeout} is closed. A call on a black-holed connection has failed by
 *       then (each call waits at most the store timeout); closing the connection gives its pool slot
 *       back, so a partition cannot use the pool up for good. The subscription reads a PONG every
 *       ping interval, so only a silent one is closed; idle pooled connections are opened again
 *       on their next use.
 * </ul>
 */
@Singleton
public class RedisConnectionOptions implements RedisOptionsCustomizer {

    static final int KEEP_ALIVE_IDLE_SECONDS = 60;
    static final int KEEP_ALIVE_INTERVAL_SECONDS = 10;
    static final int KEEP_ALIVE_PROBES = 3;

    @Inject
    HubConfig config;

    @Override
    public void customize(String clientName, RedisOptions options) {
        long timeout = config.storeTimeout().toMillis();
        NetClientOptions net = options.getNetClientOptions();
        net.setConnectTimeout((int) timeout);
        net.setTcpKeepAlive(true)
                .setTcpKeepAliveIdleSeconds(KEEP_ALIVE_IDLE_SECONDS)
                .setTcpKeepAliveIntervalSeconds(KEEP_ALIVE_INTERVAL_SECONDS)
                .setTcpKeepAliveCount(KEEP_ALIVE_PROBES)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setReadIdleTimeout((int) (config.notifyPingInterval().toMillis() + timeout));
    }
}
