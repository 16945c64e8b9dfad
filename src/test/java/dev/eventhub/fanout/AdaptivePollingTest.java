package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The safety-net poll slows down while quiet and notified, and snaps back on activity. */
class AdaptivePollingTest {

    private static final Duration BASE = Duration.ofMillis(20);
    private static final Duration MAX = Duration.ofMillis(160);

    private final Vertx vertx = Vertx.vertx();
    private final MemoryEventStore store =
            new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    private final AtomicBoolean notified = new AtomicBoolean(true);
    private final Fanout fanout = new Fanout(
            store,
            vertx,
            new Fanout.Settings(BASE, MAX, Duration.ofMinutes(5), Duration.ofSeconds(2), 64, 100, Duration.ZERO),
            new HubStats());

    @AfterEach
    void stop() {
        fanout.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void quietTopicsBackOffToTheMaximumAndAnEventSnapsBackToTheBase() {
        store.onAppend(fanout);
        fanout.notificationsActive(notified::get);
        fanout.start();
        Topic topic = new Topic(EntityType.TRIP, "adaptive", Channel.LIKES);
        AssertSubscriber<Frame> sub =
                fanout.subscribe(topic, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Await.until(
                "backed off to the maximum", () -> fanout.currentPollInterval().equals(MAX));
        store.append(topic, "{\"action\":\"liked\"}").await().indefinitely();
        Await.until(
                "back at the base interval", () -> fanout.currentPollInterval().equals(BASE));
        Await.until("event delivered", () -> sub.getItems().stream().anyMatch(f -> f.data() != null));
    }

    @Test
    void withoutNotificationsPollingNeverSlowsDown() {
        notified.set(false);
        fanout.notificationsActive(notified::get);
        fanout.start();
        Topic topic = new Topic(EntityType.TRIP, "steady", Channel.LIKES);
        fanout.subscribe(topic, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        long deadline = System.nanoTime() + MAX.multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) { // watch a window of several would-be backoffs
            assertEquals(BASE, fanout.currentPollInterval());
            Thread.onSpinWait();
        }
        notified.set(true);
        Await.until(
                "backs off once notifications arrive",
                () -> fanout.currentPollInterval().compareTo(BASE) > 0);
    }
}
