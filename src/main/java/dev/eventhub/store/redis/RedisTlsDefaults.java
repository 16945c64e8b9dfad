package dev.eventhub.store.redis;

import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;

/**
 * Makes {@code rediss://} work with nothing else set, and safely: every Redis client Quarkus builds
 * for the hub (one client serves commands, the notifier's pub/sub connections and presence, so all
 * share these options) verifies the server's certificate chain and its host name.
 *
 * <p>Vert.x refuses a TLS connection whose host name verification algorithm is unset ("Missing
 * hostname verification algorithm"), which is what a TLS configuration from Quarkus's TLS registry
 * ({@code quarkus.redis.tls-configuration-name}) leaves when it does not name one. Unset becomes
 * {@code HTTPS} here (RFC 2818: the certificate must name the host in the URL). An algorithm that
 * was chosen is kept, including none ({@code quarkus.tls.<name>.hostname-verification-algorithm=NONE}
 * or {@code quarkus.redis.tls.hostname-verification-algorithm=NONE}), which turns the check off.
 * Without a TLS configuration the JVM's trust store (the public CAs) decides.
 */
@Singleton
public class RedisTlsDefaults implements RedisOptionsCustomizer {

    /** What an unset algorithm becomes: the certificate must match the host name in the URL. */
    public static final String DEFAULT_ALGORITHM = "HTTPS";

    @Override
    public void customize(String clientName, RedisOptions options) {
        NetClientOptions net = options.getNetClientOptions();
        if (net == null || !net.isSsl()) {
            return;
        }
        if (net.getHostnameVerificationAlgorithm() == null) {
            net.setHostnameVerificationAlgorithm(DEFAULT_ALGORITHM);
        }
        String algorithm = net.getHostnameVerificationAlgorithm();
        if (algorithm.isEmpty()) {
            Log.warnf("Redis client %s: TLS without host name verification (explicitly configured)", clientName);
        } else {
            Log.infof("Redis client %s: TLS, certificate and host name verified (%s)", clientName, algorithm);
        }
    }
}
