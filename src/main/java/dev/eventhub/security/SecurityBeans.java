package dev.eventhub.security;

import dev.eventhub.config.SecurityConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires the security pieces from {@link SecurityConfig}, and refuses to start with a configuration
 * that would be unsafe or could not work (a private topic with no way to grant it, a short token
 * secret, a rate of zero), saying which setting to fix.
 */
@Singleton
public class SecurityBeans {

    /** Shorter configured publish keys are accepted with a warning: they are guessable. */
    static final int SHORT_KEY_CHARS = 24;

    @Produces
    @Singleton
    PublishKeys publishKeys(SecurityConfig config) {
        return PublishKeys.fromConfig(config.publishKeys());
    }

    @Produces
    @Singleton
    PublishRateLimiter rateLimiter(PublishKeys keys, SecurityConfig config) {
        return new PublishRateLimiter(
                keys.size(), config.publish().rate(), config.publish().burst(), System::nanoTime);
    }

    @Produces
    @Singleton
    TokenVerifier tokenVerifier(SecurityConfig config) {
        return new TokenVerifier(
                TokenSecrets.of(config.tokenSecret(), config.keyedTokenSecrets()),
                config.tokenAudience().filter(audience -> !audience.isBlank()),
                config.tokenClockSkew(),
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    TopicPolicy topicPolicy(SecurityConfig config) {
        return TopicPolicy.of(config.privateTypes(), config.requireToken());
    }

    void start(@Observes StartupEvent event, SecurityConfig config, PublishKeys keys) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Unsafe or unusable security configuration: " + String.join("; ", problems));
        }
        keys.generatedKey()
                .ifPresent(key -> Log.warnf(
                        "No publish key is configured (REALTIME_PUBLISH_KEYS), so this "
                                + "run generated a TEMPORARY one, the only key it accepts: %s  It changes at every start; set "
                                + "REALTIME_PUBLISH_KEYS to keys of your own.",
                        key));
        config.publishKeys().ifPresent(configured -> {
            if (configured.stream().anyMatch(k -> !k.isBlank() && k.trim().length() < SHORT_KEY_CHARS)) {
                Log.warnf(
                        "A configured publish key is shorter than %d characters and could be guessed; use long "
                                + "random keys (e.g. openssl rand -base64 32)",
                        SHORT_KEY_CHARS);
            }
        });
        TopicPolicy policy = TopicPolicy.of(config.privateTypes(), config.requireToken());
        Log.infof(
                "Security: %d publish key(s), %s, subscriber tokens %s, at most %d open streams, %s publishes/s "
                        + "(burst %d) per key",
                keys.size(),
                policy,
                config.acceptsTokens()
                        ? "accepted"
                                + config.tokenAudience()
                                        .map(a -> " for audience " + a)
                                        .orElse("")
                        : "not accepted",
                config.stream().maxOpen(),
                config.publish().rate(),
                config.publish().burst());
    }

    /** Everything wrong with {@code config}; empty when it is usable. */
    static List<String> problems(SecurityConfig config) {
        List<String> problems = new ArrayList<>();
        TopicPolicy policy = null;
        try {
            policy = TopicPolicy.of(config.privateTypes(), config.requireToken());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        boolean needsTokens = config.requireToken() || (policy != null && policy.anyPrivate());
        if (!config.acceptsTokens() && needsTokens) {
            problems.add("private topics (realtime.private-types or realtime.require-token) need "
                    + "realtime.token-secret (REALTIME_TOKEN_SECRET) or realtime.token-secrets to verify "
                    + "subscriber tokens");
        }
        problems.addAll(TokenSecrets.problems(config.tokenSecret(), config.keyedTokenSecrets()));
        if (config.tokenClockSkew().isNegative()) {
            problems.add("realtime.token-clock-skew must not be negative");
        }
        if (!(config.publish().rate() > 0) || config.publish().burst() < 1) {
            problems.add("realtime.publish.rate must be above 0 and realtime.publish.burst at least 1");
        }
        if (config.stream().maxOpen() < 1) {
            problems.add("realtime.stream.max-open must be at least 1");
        }
        if (config.stream().fullRetryAfter().isNegative()) {
            problems.add("realtime.stream.full-retry-after must not be negative");
        }
        return problems;
    }
}
