package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slow-consumer cut counts bytes, per stream and over all streams, not only frames. */
class SlowConsumerBytesTest {

    private static final String KILOBYTE = "{\"pad\":\"" + "x".repeat(1000) + "\"}";

    private final Vertx vertx = Vertx.vertx();
    private final MemoryEventStore store =
            new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    private Fanout fanout;

    private Fanout start(long bufferBytes, long totalBytes) {
        fanout = new Fanout(
                store,
                vertx,
                new Fanout.Settings(
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(2),
                        10_000, // frames: never the bound here
                        100,
                        Duration.ZERO,
                        bufferBytes,
                        totalBytes),
                new HubStats());
        store.onAppend(fanout);
        fanout.start();
        return fanout;
    }

    @AfterEach
    void stop() {
        fanout.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private AssertSubscriber<Frame> open(Topic topic, long request) {
        return fanout.subscribe(topic, null).subscribe().withSubscriber(AssertSubscriber.create(request));
    }

    private static long events(AssertSubscriber<Frame> sub) {
        return sub.getItems().stream().filter(f -> f.data() != null).count();
    }

    @Test
    void aStreamHoldingMoreThanItsBytesIsEndedWhileAFastOneGetsEverything() {
        start(8 * 1024, Long.MAX_VALUE);
        Topic topic = new Topic(EntityType.TRIP, "bytes", Channel.COMMENTS);
        AssertSubscriber<Frame> stalled = open(topic, 2); // the opening frames, then nothing
        AssertSubscriber<Frame> fast = open(topic, Long.MAX_VALUE);
        Await.until("both live", () -> fanout.liveSubscribers(topic) == 2);
        for (int i = 0; i < 20; i++) { // 20 KiB: far more than 8 KiB, far fewer than 10,000 frames
            store.append(topic, KILOBYTE).await().indefinitely();
        }
        Await.until("fast got all", () -> events(fast) == 20);
        Await.until("stalled one ended", stalled::hasCompleted);
        Await.until("stalled one removed", () -> fanout.openStreams() == 1);
        assertEquals(1, fanout.liveSubscribers(topic));
    }

    @Test
    void whatAllStreamsHoldTogetherIsBoundedEvenWhenEachIsUnderItsOwnBound() {
        start(64 * 1024, 16 * 1024); // a stream holding over 4 KiB goes once all hold 16 KiB
        Topic topic = new Topic(EntityType.TRIP, "total", Channel.COMMENTS);
        AssertSubscriber<Frame> a = open(topic, 2);
        AssertSubscriber<Frame> b = open(topic, 2);
        AssertSubscriber<Frame> fast = open(topic, Long.MAX_VALUE);
        Await.until("all live", () -> fanout.liveSubscribers(topic) == 3);
        for (int i = 0; i < 20; i++) { // each stalled stream holds under 64 KiB; together past 16 KiB
            store.append(topic, KILOBYTE).await().indefinitely();
        }
        Await.until("fast got all", () -> events(fast) == 20);
        Await.until("a stalled one ended", () -> a.hasCompleted() || b.hasCompleted());
        assertTrue(fanout.openStreams() <= 2, "open: " + fanout.openStreams());
    }
}
