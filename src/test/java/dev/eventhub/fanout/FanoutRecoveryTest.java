package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.store.StoreUnavailableException;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failed read never leaves a topic's feed stuck, even when another read was asked for meanwhile. */
class FanoutRecoveryTest {

    private final Vertx vertx = Vertx.vertx();
    private final MemoryEventStore memory =
            new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    private final CompletableFuture<Void> releaseFirstRead = new CompletableFuture<>();
    private volatile boolean firstRead = true;

    /** The memory store, except that its first read hangs until released and then fails. */
    private final EventStore flaky = new EventStore() {
        @Override
        public Uni<EventId> append(Topic topic, String json) {
            return memory.append(topic, json);
        }

        @Override
        public Uni<dev.eventhub.store.Appended> append(
                Topic topic, String json, dev.eventhub.store.IdempotencyKey key) {
            return memory.append(topic, json, key);
        }

        @Override
        public Uni<LogSlice> readAfter(Topic topic, EventId after) {
            if (firstRead) {
                firstRead = false;
                return Uni.createFrom()
                        .completionStage(releaseFirstRead)
                        .chain(ignored -> Uni.createFrom().failure(new StoreUnavailableException("down", null)));
            }
            return memory.readAfter(topic, after);
        }

        @Override
        public Uni<List<EventId>> heads(List<Topic> topics) {
            return memory.heads(topics);
        }

        @Override
        public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
            return memory.restartEpoch(topic, rolledBack);
        }

        @Override
        public Uni<Void> ping() {
            return memory.ping();
        }

        @Override
        public String describe() {
            return "flaky memory";
        }

        @Override
        public boolean shared() {
            return false;
        }
    };

    private final Fanout fanout = new Fanout(
            flaky,
            vertx,
            new Fanout.Settings(
                    Duration.ofMillis(50),
                    Duration.ofMillis(50),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(2),
                    64,
                    100,
                    Duration.ZERO),
            new HubStats());

    @AfterEach
    void stop() {
        fanout.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aReadThatFailsWhileAnotherWasRequestedIsRetriedByThePoll() {
        fanout.start();
        Topic topic = new Topic(EntityType.TRIP, "flaky", Channel.COMMENTS);
        EventId first = memory.append(topic, "{\"n\":1}").await().indefinitely();
        AssertSubscriber<Frame> fresh = fanout.subscribe(topic, null)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)); // its load hangs
        AssertSubscriber<Frame> resuming = fanout.subscribe(topic, EventId.START.toString())
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)); // asks for a read meanwhile
        releaseFirstRead.complete(null); // the hanging load fails
        Await.until(
                "the fresh stream learns its position", () -> fresh.getItems().size() == 2);
        assertEquals(first.toString(), fresh.getItems().get(1).id());
        Await.until(
                "the resuming stream gets the event",
                () -> resuming.getItems().stream().anyMatch(f -> f.data() != null));
        memory.append(topic, "{\"n\":2}").await().indefinitely();
        Await.until(
                "both stay live",
                () -> fresh.getItems().stream().anyMatch(f -> "{\"n\":2}".equals(f.data()))
                        && resuming.getItems().stream().anyMatch(f -> "{\"n\":2}".equals(f.data())));
    }
}
