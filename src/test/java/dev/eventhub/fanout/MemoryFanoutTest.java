package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryFanoutTest extends FanoutContract {

    @Override
    protected EventStore createStore(Vertx vertx) {
        return new MemoryEventStore(SIZE, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    }

    @Override
    protected void setState(Topic topic, EventId head, List<StoredEvent> events) {
        ((MemoryEventStore) store).restore(topic, head, events);
    }

    @Override
    protected void wire(EventStore store, Fanout fanout) {
        ((MemoryEventStore) store).onAppend(fanout);
    }

    @Test
    void aTopicEvictedToMakeRoomGivesItsLiveStreamsAResyncNotASilentJump() {
        MutableClock clock = new MutableClock();
        fanout.stop();
        store = new MemoryEventStore(SIZE, Duration.ofHours(1), Duration.ofHours(24), 1, clock);
        fanout = newFanout(store);
        Topic quiet = newTopic();
        AssertSubscriber<Frame> sub = subscribe(quiet, null);
        Await.until("live", () -> fanout.liveSubscribers(quiet) == 1);
        EventId id = publish(quiet, 1);
        Await.until("its event", () -> messages(sub).size() == 1);

        clock.advance(Duration.ofHours(1)); // its log expires; its head alone would live on
        publish(newTopic(), 2); // the store holds one topic: the quiet one makes room

        Await.until("told", () -> messages(sub).size() == 2);
        assertEquals(
                List.of(
                        "id=" + id + " data={\"n\":1}",
                        "id=" + EventId.START + " data={\"action\":\"resync\",\"reason\":\"head_lost\",\"topic\":\""
                                + quiet + "\",\"head\":\"" + EventId.START + "\"}"),
                messages(sub));
    }
}
