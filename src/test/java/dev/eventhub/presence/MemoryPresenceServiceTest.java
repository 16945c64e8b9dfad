package dev.eventhub.presence;

import dev.eventhub.fanout.Fanout;
import dev.eventhub.presence.memory.MemoryPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.MutableClock;
import java.time.Duration;

/** Instances over one memory store (one process standing in for several), on a clock moved by hand. */
class MemoryPresenceServiceTest extends PresenceServiceContract {

    private final MutableClock clock = new MutableClock();
    private final MemoryEventStore log = new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), clock);
    private final MemoryPresenceStore presence = new MemoryPresenceStore(log, TTL, 100, clock);

    @Override
    protected EventStore newLog() {
        return log;
    }

    @Override
    protected PresenceStore newPresenceStore(EventStore log) {
        return presence;
    }

    @Override
    protected void wire(EventStore log, Fanout fanout) {
        this.log.onAppend(fanout); // the newest instance gets appends directly; the others poll
    }

    @Override
    protected void pass(Duration duration) {
        clock.advance(duration);
    }
}
