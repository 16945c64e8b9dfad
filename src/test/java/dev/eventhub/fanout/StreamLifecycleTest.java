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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream lifetime rotation and graceful drain: streams end with a retry hint and resume losslessly. */
class StreamLifecycleTest {

    private static final Duration LIFETIME = Duration.ofMillis(150);
    private static final long RETRY_MILLIS = 1000;

    private final Vertx vertx = Vertx.vertx();
    private final MemoryEventStore store =
            new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    private final Fanout fanout = new Fanout(
            store,
            vertx,
            new Fanout.Settings(
                    Duration.ofMillis(50),
                    Duration.ofMillis(50),
                    Duration.ofMinutes(5),
                    Duration.ofMillis(RETRY_MILLIS),
                    1024,
                    1000,
                    LIFETIME),
            new HubStats());
    private final Topic topic = new Topic(EntityType.TRIP, "rotating", Channel.COMMENTS);

    @AfterEach
    void stop() {
        fanout.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static int number(Frame frame) {
        return Integer.parseInt(frame.data().substring(5, frame.data().length() - 1));
    }

    @Test
    void streamsEndAtTheirLifetimeWithAJitteredRetryAndResumeWithoutLossOrDuplicate() throws Exception {
        store.onAppend(fanout);
        fanout.start();
        AtomicBoolean publishing = new AtomicBoolean(true);
        int[] published = {0};
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                store.append(topic, "{\"n\":" + (++published[0]) + "}").await().indefinitely();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        publisher.start();
        List<Integer> received = new ArrayList<>();
        String lastId = "0-0"; // from the very start: the publisher may be ahead of the first stream
        int rotations = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Reconnect like a browser, from the last id seen, until publishing is over and all arrived.
        while (System.nanoTime() < deadline && (rotations < 5 || publishing.get() || received.size() < published[0])) {
            if (rotations == 5) {
                publishing.set(false);
                publisher.join();
            }
            AssertSubscriber<Frame> sub =
                    fanout.subscribe(topic, lastId).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            sub.awaitCompletion(Duration.ofSeconds(5));
            List<Frame> frames = sub.getItems();
            Frame last = frames.get(frames.size() - 1);
            assertTrue(
                    last.retryMillis() >= RETRY_MILLIS && last.retryMillis() <= RETRY_MILLIS * 11 / 10,
                    "ends with a retry hint of the base delay plus jitter: " + last.retryMillis());
            for (Frame frame : frames) {
                if (frame.data() != null) {
                    received.add(number(frame));
                }
                if (frame.id() != null) {
                    lastId = frame.id(); // what a browser remembers
                }
            }
            rotations++;
        }
        assertTrue(rotations > 5, "streams rotated: " + rotations);
        List<Integer> expected =
                java.util.stream.IntStream.rangeClosed(1, published[0]).boxed().toList();
        assertEquals(expected, received, "every event once, in order, across " + rotations + " rotations");
    }

    /**
     * What follows from the drain's logic, not from wall-clock readings (a loaded machine delays
     * timers): nothing ends before the drain starts, every stream ends with a retry hint of the base
     * delay plus its own jitter, and the drain completes only once none is open. That a stream
     * opened during the drain is refused is the API's part: {@code DrainApiTest}.
     */
    @Test
    void drainEndsEveryOpenStreamWithItsOwnJitteredRetryHintAndCompletesWhenNoneIsOpen() throws Exception {
        Fanout longLived = new Fanout(
                store,
                vertx,
                new Fanout.Settings(
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        Duration.ofMinutes(5),
                        Duration.ofMillis(RETRY_MILLIS),
                        1024,
                        1000,
                        Duration.ZERO),
                new HubStats());
        longLived.start();
        AtomicBoolean drainStarted = new AtomicBoolean();
        List<Boolean> endedAfterDrainStarted = java.util.Collections.synchronizedList(new ArrayList<>());
        List<AssertSubscriber<Frame>> subs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subs.add(longLived
                    .subscribe(topic, null)
                    .onCompletion()
                    .invoke(() -> endedAfterDrainStarted.add(drainStarted.get()))
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        }
        Await.until("all open", () -> longLived.openStreams() == 20);
        drainStarted.set(true);
        var done = longLived.drain(Duration.ofMillis(400));
        assertTrue(longLived.draining());
        done.get(10, TimeUnit.SECONDS);
        assertEquals(0, longLived.openStreams(), "the drain completes once no stream is open");
        java.util.Set<Long> hints = new java.util.HashSet<>();
        for (AssertSubscriber<Frame> sub : subs) {
            sub.assertCompleted();
            Frame last = sub.getItems().get(sub.getItems().size() - 1);
            assertTrue(
                    last.retryMillis() >= RETRY_MILLIS && last.retryMillis() <= RETRY_MILLIS * 11 / 10,
                    "each ends with a retry hint of the base delay plus up to 10%: " + last.retryMillis());
            hints.add(last.retryMillis());
        }
        assertEquals(java.util.Collections.nCopies(20, true), endedAfterDrainStarted, "none ended before the drain");
        assertTrue(
                hints.size() > 1, "each stream gets its own jitter, so browsers do not come back together: " + hints);
        longLived.stop();
    }
}
