package dev.eventhub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code realtime.*} setting. Each key can be set as an environment variable
 * ({@code realtime.poll-interval} is {@code REALTIME_POLL_INTERVAL}); the README's configuration
 * table lists them all.
 */
@ConfigMapping(prefix = "realtime")
public interface HubConfig {

    /** Which store holds the logs. Defaults to {@code auto}: Redis when a Redis URL is set, else memory. */
    @WithDefault("auto")
    StoreKind store();

    /**
     * The longest any call to the store (Redis) waits for its answer; past it the call fails as an
     * outage does (a publish gets 503 with {@code Retry-After}, readiness goes down, a poll is
     * retried), and connecting to Redis takes at most this long too. Defaults to 3 s.
     */
    @WithName("store.timeout")
    @WithDefault("3s")
    Duration storeTimeout();

    /** How often each instance reads the heads of its active topics. Defaults to 1 s, or to {@code poll-max-interval} when only that is set and it is shorter. */
    default Duration pollInterval() {
        return pollIntervalSetting()
                .orElseGet(() ->
                        min(Duration.ofSeconds(1), pollMaxIntervalSetting().orElse(Duration.ofSeconds(1))));
    }

    /** {@code realtime.poll-interval} as set; read {@link #pollInterval()}. */
    @WithName("poll-interval")
    Optional<Duration> pollIntervalSetting();

    /**
     * The longest the poll interval grows to while no head moves and notifications are arriving
     * (then they deliver, and polling is only the safety net). It snaps back to
     * {@link #pollInterval()} on any activity. Defaults to 30 s, or to {@code poll-interval} when
     * only that is set and it is longer; setting both with this one shorter fails the start.
     */
    default Duration pollMaxInterval() {
        return pollMaxIntervalSetting().orElseGet(() -> max(Duration.ofSeconds(30), pollInterval()));
    }

    /** {@code realtime.poll-max-interval} as set; read {@link #pollMaxInterval()}. */
    @WithName("poll-max-interval")
    Optional<Duration> pollMaxIntervalSetting();

    /**
     * How publishes reach other instances at once: {@code pubsub} (each publish also announces itself
     * on the topic's own channel, SPUBLISH on Redis 7 and PUBLISH before; each instance has one
     * pub/sub connection, subscribed to the topics it has readers for) or {@code none} (polling
     * only). Defaults to
     * {@code pubsub}. Polling stays on either way, so correctness never depends on pub/sub.
     */
    @WithName("notify")
    @WithDefault("pubsub")
    NotifyMode notifyMode();

    /**
     * Events up to this many bytes travel inside the pub/sub notification, so instances deliver
     * them without reading the list; larger ones are announced by id. Defaults to 16384.
     */
    @WithName("notify-inline-max-bytes")
    @WithDefault("16384")
    int notifyInlineMaxBytes();

    /**
     * How often the pub/sub connection is checked with a PING; one not answered within
     * {@link #storeTimeout()} is closed and opened again, and until it answers the safety-net poll
     * runs at {@link #pollInterval()}. Defaults to 10 s.
     */
    @WithName("notify-ping-interval")
    @WithDefault("10s")
    Duration notifyPingInterval();

    /** How often an idle stream gets a comment line to keep proxies from closing it. Defaults to 30 s. */
    @WithDefault("30s")
    Duration heartbeat();

    /** The reconnection delay sent to browsers in the {@code retry:} field. Defaults to 2 s. */
    @WithDefault("2s")
    Duration retry();

    History history();

    Publish publish();

    Stream stream();

    Redis redis();

    Memory memory();

    enum StoreKind {
        AUTO,
        REDIS,
        MEMORY
    }

    enum NotifyMode {
        PUBSUB,
        NONE
    }

    interface History {
        /** Events kept per topic (LTRIM); also the longest replay. Defaults to 100. */
        @WithDefault("100")
        int size();

        /**
         * A topic's log expires this long after its last event (EXPIRE). Defaults to 1 h, or to
         * {@code head-ttl} when only that is set and it is shorter.
         */
        default Duration ttl() {
            return ttlSetting()
                    .orElseGet(() -> min(Duration.ofHours(1), headTtlSetting().orElse(Duration.ofHours(1))));
        }

        /** {@code realtime.history.ttl} as set; read {@link #ttl()}. */
        @WithName("ttl")
        Optional<Duration> ttlSetting();

        /**
         * A topic's head (epoch and sequence) expires this long after its last event. At least
         * {@link #ttl()}, so a topic that comes back after its log expired continues its sequence
         * and resuming clients learn exactly what they missed. Defaults to 24 h, or to {@code ttl}
         * when only that is set and it is longer; setting both with this one shorter fails the start.
         */
        default Duration headTtl() {
            return headTtlSetting().orElseGet(() -> max(Duration.ofHours(24), ttl()));
        }

        /** {@code realtime.history.head-ttl} as set; read {@link #headTtl()}. */
        @WithName("head-ttl")
        Optional<Duration> headTtlSetting();
    }

    interface Publish {
        /** The largest publish body accepted, in bytes; larger gets 413. Defaults to 65536 (64 KiB). */
        @WithName("max-body-bytes")
        @WithDefault("65536")
        int maxBodyBytes();

        /** Seconds sent in {@code Retry-After} when the store is unavailable. Defaults to 2. */
        @WithName("retry-after-seconds")
        @WithDefault("2")
        int retryAfterSeconds();

        /**
         * Replicas that must have a publish before it is answered 201 (Redis {@code WAIT}, for at
         * most half of {@code realtime.store.timeout}); when fewer have it in time, the publish is
         * answered 503 with {@code Retry-After} although the primary stored it (retry with the same
         * {@code Idempotency-Key}). Redis store only. Defaults to 0: answered once the primary has it.
         */
        @WithName("min-replicas")
        @WithDefault("0")
        int minReplicas();

        /**
         * How long a publish's {@code Idempotency-Key} is remembered per topic: a publish with the
         * same key on the same topic within it is answered with the first one's id and stores
         * nothing (another body under the key gets 422). Long enough for a publisher's retries,
         * short enough that the keys (about 300 bytes each in Redis) stay few: at 100 keyed publishes
         * a second, 1 h is about 100 MB. Defaults to 1 h.
         */
        @WithName("idempotency-ttl")
        @WithDefault("1h")
        Duration idempotencyTtl();

        /**
         * Memory store only: the most {@code Idempotency-Key}s it holds over all topics (each also
         * expires at {@link #idempotencyTtl()}); past it the oldest is forgotten. Redis bounds its
         * keys by their TTL. Defaults to 10000 (a few MB at most).
         */
        @WithName("idempotency-max-keys")
        @WithDefault("10000")
        int idempotencyMaxKeys();
    }

    interface Stream {
        /**
         * Frames queued for one connection that is not reading; past it the connection is closed
         * (the browser reconnects and resumes). Defaults to 512.
         */
        @WithName("buffer-size")
        @WithDefault("512")
        int bufferSize();

        /**
         * Bytes (of frames on the wire) held for one connection that is not reading; past it the
         * connection is closed and the browser resumes. Defaults to 262144 (256 KiB).
         */
        @WithName("buffer-bytes")
        @WithDefault("262144")
        long bufferBytes();

        /**
         * Bytes all connections of the instance may hold together, however many they are (a frame
         * that many connections hold counts once, as they share its bytes, plus 32 bytes for each of
         * them); past it, each connection holding more than a sixteenth of {@link #bufferBytes()} is
         * closed (and resumes), so a burst on a popular topic cannot take the heap. Defaults to
         * 67108864 (64 MiB).
         */
        @WithName("total-buffer-bytes")
        @WithDefault("67108864")
        long totalBufferBytes();

        /**
         * A stream ends after about this long (up to 10% less, at random) with a {@code retry:} hint;
         * the browser reconnects and resumes without loss. Below the 60-minute request limit of
         * common serverless platforms; {@code 0} for no limit. Defaults to 50 min.
         */
        @WithName("max-lifetime")
        @WithDefault("50m")
        Duration maxLifetime();

        /**
         * Most distinct topics one multiplexed stream ({@code GET /api/subscribe?topic=...}) may
         * carry; more gets 400. A topic repeated counts once. Defaults to 32.
         */
        @WithName("max-topics")
        @WithDefault("32")
        int maxTopics();
    }

    Shutdown shutdown();

    interface Shutdown {
        /**
         * On SIGTERM, open streams are ended at random moments within this window, after the
         * instance stops taking new ones; in-flight publishes finish. Keep it below the platform's
         * grace period. Defaults to 20 s.
         */
        @WithDefault("20s")
        Duration drain();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    interface Memory {
        /**
         * Most topics the in-memory store (no Redis) holds, and most entities its presence holds. A
         * publish to a new topic beyond it evicts the least recently written topic if that topic's
         * log has expired, and is refused with 503 otherwise; topics held are never refused.
         * Defaults to 10000.
         */
        @WithName("max-topics")
        @WithDefault("10000")
        int maxTopics();
    }

    interface Redis {
        /** Prefix of every key and channel the hub uses in Redis. Defaults to {@code rt:}. */
        @WithName("key-prefix")
        @WithDefault("rt:")
        String keyPrefix();
    }
}
