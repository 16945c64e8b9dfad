package dev.eventhub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code realtime.presence.*} settings (docs/presence.md). Each key can be set as an environment
 * variable ({@code realtime.presence.ttl} is {@code REALTIME_PRESENCE_TTL}); the README's
 * configuration table lists them.
 */
@ConfigMapping(prefix = "realtime.presence")
public interface PresenceConfig {

    /** The presence TTL by default: a viewer not renewed for a minute is gone. */
    Duration DEFAULT_TTL = Duration.ofSeconds(60);

    /** A lease is renewed this many times per TTL by default, so two renewals can fail before it lapses. */
    int RENEWALS_PER_TTL = 3;

    /**
     * How long a viewer stays present after its last renewal: a stream's viewer is renewed by its
     * instance every {@link #refreshInterval()}, an HTTP-tracked one by the app's next PUT. Also
     * bounds how long a crashed instance's viewers linger. Defaults to 60 s, or to three times
     * {@code refresh-interval} when only that is set.
     */
    default Duration ttl() {
        return ttlSetting()
                .orElseGet(() -> refreshIntervalSetting()
                        .map(refresh -> refresh.multipliedBy(RENEWALS_PER_TTL))
                        .orElse(DEFAULT_TTL));
    }

    /** {@code realtime.presence.ttl} as set; read {@link #ttl()}. */
    @WithName("ttl")
    Optional<Duration> ttlSetting();

    /**
     * How often each instance renews the leases of its streams' viewers and prunes the entities it
     * knows, in one store call. Shorter than {@link #ttl()}; a viewer whose instance died is told as
     * left at most this long after its lease expired. Defaults to a third of the TTL (20 s with the
     * default TTL), so {@code REALTIME_PRESENCE_TTL=3s} alone gives 1 s; setting both with this one
     * not shorter fails the start.
     */
    default Duration refreshInterval() {
        return refreshIntervalSetting().orElseGet(() -> ttl().dividedBy(RENEWALS_PER_TTL));
    }

    /** {@code realtime.presence.refresh-interval} as set; read {@link #refreshInterval()}. */
    @WithName("refresh-interval")
    Optional<Duration> refreshIntervalSetting();

    /**
     * Whether a presence stream may declare its viewer with {@code ?viewer=} alone, without a
     * subscriber token: an unverified claim, which can never replace display data a token's holder
     * or the app's PUT set. Refused streams get 401 {@code token-required}. Defaults to true when
     * no token secret is configured, false when one is (then identities come from tokens).
     */
    @WithName("anonymous-viewers")
    Optional<Boolean> anonymousViewers();

    /**
     * The largest display data kept per viewer, in bytes of JSON (a PUT body, or the {@code name}
     * and {@code avatarUrl} of a stream); larger gets 413 (body) or 400 (query). Defaults to 1024.
     */
    @WithName("max-display-bytes")
    @WithDefault("1024")
    int maxDisplayBytes();

    /**
     * The most viewers a snapshot or a list carries (the latest renewed); {@code count} is always
     * the full number. 1 to 1000. Defaults to 100.
     */
    @WithName("snapshot-limit")
    @WithDefault("100")
    int snapshotLimit();
}
