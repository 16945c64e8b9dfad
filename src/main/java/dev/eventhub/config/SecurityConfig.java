package dev.eventhub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The security and abuse-limit settings, under the same {@code realtime} prefix as
 * {@link HubConfig} but in a mapping of their own. Every key is also an environment variable
 * ({@code realtime.publish-keys} is {@code REALTIME_PUBLISH_KEYS}). docs/security.md explains
 * how they fit together; the README's configuration table lists them.
 */
@ConfigMapping(prefix = "realtime")
public interface SecurityConfig {

    /**
     * The keys that may publish (and write presence), comma-separated, sent as
     * {@code Authorization: Bearer <key>}. Several keys may be valid at once, so a key can be
     * rotated without downtime. Defaults to none: then a random key is generated at start-up,
     * printed once, and is the only one accepted (the hub never runs open).
     */
    @WithName("publish-keys")
    Optional<List<String>> publishKeys();

    /**
     * Entity types whose topics are private, comma-separated ({@code blog,post}): subscribing to
     * them, or reading their history, needs a subscriber token that grants the topic. Defaults
     * to none: every topic is public.
     */
    @WithName("private-types")
    Optional<List<String>> privateTypes();

    /** Makes every topic private, whatever {@link #privateTypes()} says. Defaults to false. */
    @WithName("require-token")
    @WithDefault("false")
    boolean requireToken();

    /**
     * The HMAC-SHA256 secret the app signs subscriber tokens with, at least 32 bytes: it verifies
     * tokens whose header has no {@code kid}. Private topics need it or {@link #keyedTokenSecrets()};
     * with neither, no token is accepted. Defaults to unset.
     */
    @WithName("token-secret")
    Optional<String> tokenSecret();

    /**
     * Named HMAC-SHA256 secrets, comma-separated {@code kid:secret} pairs
     * ({@code 2026-12:secretA,2027-01:secretB}), each secret at least 32 bytes: a token whose header
     * has {@code "kid":"2027-01"} is verified with that secret only, so several secrets are valid at
     * once and one can be rotated without refusing the tokens already out. A kid is 1 to 64
     * letters, digits, {@code -}, {@code _} or {@code .}; a token with a kid not listed is refused.
     * Defaults to none.
     */
    @WithName("token-secrets")
    Optional<List<String>> keyedTokenSecrets();

    /**
     * The audience subscriber tokens must name: when set, a token's {@code aud} (a string, or an
     * array of strings) must contain exactly this, so a token the app signed for another service
     * with the same secret is refused here. Defaults to unset: {@code aud} is not checked.
     */
    @WithName("token-audience")
    Optional<String> tokenAudience();

    /** Whether any token secret is configured, so subscriber tokens can be accepted at all. */
    default boolean acceptsTokens() {
        return tokenSecret().filter(secret -> !secret.isEmpty()).isPresent()
                || keyedTokenSecrets().filter(list -> !list.isEmpty()).isPresent();
    }

    /**
     * How far the hub's clock may be from the token issuer's: a token is accepted until
     * {@code exp} plus this, and from {@code nbf} minus this. Defaults to 30 s.
     */
    @WithName("token-clock-skew")
    @WithDefault("30s")
    Duration tokenClockSkew();

    PublishLimits publish();

    StreamLimits stream();

    interface PublishLimits {
        /**
         * Sustained publishes (and presence writes) per second allowed for each publish key;
         * faster gets 429 with {@code Retry-After}. Defaults to 200.
         */
        @WithDefault("200")
        double rate();

        /** Publishes one key may make at once before {@link #rate()} applies. Defaults to 400. */
        @WithDefault("400")
        int burst();
    }

    interface StreamLimits {
        /**
         * Streams one instance holds open at most; beyond it a new stream gets 503 with a
         * jittered {@code Retry-After}. Each stream is an open socket, so keep this below the
         * process's open-files limit. Defaults to 16000 (sized for a 20,000-file limit).
         */
        @WithName("max-open")
        @WithDefault("16000")
        int maxOpen();

        /**
         * The base of {@code Retry-After} when the instance is full: the value sent is a random
         * whole number of seconds from this to twice this, so a reconnect storm spreads out.
         * Defaults to 5 s.
         */
        @WithName("full-retry-after")
        @WithDefault("5s")
        Duration fullRetryAfter();
    }
}
