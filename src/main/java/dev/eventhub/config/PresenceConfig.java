package dev.eventhub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/**
 * The {@code realtime.presence.*} settings (docs/presence.md). Each key can be set as an environment
 * variable ({@code realtime.presence.ttl} is {@code REALTIME_PRESENCE_TTL}); the README's
 * configuration table lists them.
 */
@ConfigMapping(prefix = "realtime.presence")
public interface PresenceConfig {

    /**
     * How long a viewer stays present after its last renewal: a stream's viewer is renewed by its
     * instance every {@link #refreshInterval()}, an HTTP-tracked one by the app's next PUT. Also
     * bounds how long a crashed instance's viewers linger. Defaults to 60 s.
     */
    @WithDefault("60s")
    Duration ttl();

    /**
     * How often each instance renews the leases of its streams' viewers and prunes the entities it
     * knows, in one store call. Must be shorter than {@link #ttl()}; a viewer whose instance died
     * is told as left at most this long after its lease expired. Defaults to 20 s.
     */
    @WithName("refresh-interval")
    @WithDefault("20s")
    Duration refreshInterval();

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
