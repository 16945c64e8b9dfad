package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.LogSlice;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's first/last-reader order while feeds empty on one thread and fill on another: a
 * feed's emptiness is decided atomically where subscribers leave, and the listener is told inside
 * the map's step, so it never hears "first" twice or "last" for a topic it was not told of.
 */
class FeedRegistryTest {

    private static final Topic TOPIC = new Topic(EntityType.TRIP, "race", Channel.COMMENTS);

    private final Vertx vertx = Vertx.vertx();

    /** Every read answers at once: the topic has no events. */
    private final TopicFeed.Reads reads = new TopicFeed.Reads() {
        @Override
        public Uni<LogSlice> read(Topic topic, EventId after) {
            return Uni.createFrom().item(LogSlice.EMPTY);
        }

        @Override
        public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
            return Uni.createFrom().item(EventId.START);
        }
    };

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static Subscriber subscriber(List<AssertSubscriber<Frame>> streams) {
        AtomicReference<Subscriber> made = new AtomicReference<>();
        AssertSubscriber<Frame> frames = AssertSubscriber.create(Long.MAX_VALUE);
        Multi.createFrom()
                .<Frame>emitter(emitter -> made.set(new Subscriber(TOPIC, emitter, new HubStats())))
                .subscribe()
                .withSubscriber(frames);
        streams.add(frames);
        return made.get();
    }

    @Test
    void theLastLeavingAndANewAttachOnOtherThreadsKeepTheListenerInOrder() throws Exception {
        FeedRegistry registry = new FeedRegistry(vertx, 10, new HubStats(), reads);
        AtomicInteger watched = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        registry.listener(new ReaderListener() {
            @Override
            public void firstReader(Topic topic) {
                if (watched.incrementAndGet() != 1) {
                    wrong.add("first while watched");
                }
            }

            @Override
            public void lastReaderLeft(Topic topic) {
                if (watched.decrementAndGet() != 0) {
                    wrong.add("last while not watched");
                }
            }
        });
        int threads = 4;
        int rounds = 1_000;
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            boolean onLoop = t % 2 == 0; // half attach and detach on event loops, half off them
            Runnable work = () -> {
                try {
                    List<AssertSubscriber<Frame>> streams = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        Subscriber s = subscriber(streams);
                        registry.attach(s, Resume.from(null));
                        TopicFeed feed = registry.feed(TOPIC);
                        assertNotNull(feed, "a topic with a subscriber attached has a feed");
                        assertFalse(feed.closed(), "and it is open");
                        registry.detach(s);
                        registry.detach(s); // twice, as a close racing its attach does: counted once
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            };
            if (onLoop) {
                vertx.getOrCreateContext().runOnContext(ignored -> work.run());
            } else {
                new Thread(work).start();
            }
        }
        done.await();
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(List.of(), List.copyOf(wrong));
        assertEquals(0, registry.size(), "every feed dropped with its last subscriber");
        assertEquals(0, watched.get(), "the listener heard as many lasts as firsts");
    }

    @Test
    void aSubscriberAttachedOffAnyEventLoopIsServedOnItsFeedsContext() {
        FeedRegistry registry = new FeedRegistry(vertx, 10, new HubStats(), reads);
        List<AssertSubscriber<Frame>> streams = new ArrayList<>();
        Subscriber one = subscriber(streams);
        Subscriber two = subscriber(streams);
        registry.attach(one, Resume.from(null));
        registry.attach(two, Resume.from(null));
        TopicFeed feed = registry.feed(TOPIC);
        Await.until("both live", () -> feed.subscriberCount() == 2);
        registry.detach(one);
        assertEquals(1, registry.size(), "one subscriber left: the feed stays");
        registry.detach(two);
        assertEquals(0, registry.size(), "the last one left: dropped at once");
        assertTrue(feed.closed());
    }
}
