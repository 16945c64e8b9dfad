package dev.eventhub.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Exposes {@link HubStats} and the fan-out's gauges at {@code /q/metrics} (names {@code eventhub_*}). */
@Singleton
public class HubMetrics {

    @Produces
    @Singleton
    MeterBinder hubMeters(HubStats stats, StreamGauges fanout) {
        return registry -> {
            Gauge.builder("eventhub.streams.open", fanout, StreamGauges::openStreams)
                    .description("SSE streams open on this instance")
                    .register(registry);
            Gauge.builder("eventhub.topics.active", fanout, StreamGauges::activeTopics)
                    .description("Topics with at least one stream on this instance")
                    .register(registry);
            Gauge.builder(
                            "eventhub.poll.interval.seconds",
                            fanout,
                            f -> f.currentPollInterval().toMillis() / 1000.0)
                    .description("Current safety-net poll interval")
                    .register(registry);
            counter(registry, "eventhub.events.published", stats.published, "Events appended through this instance");
            counter(registry, "eventhub.events.delivered", stats.delivered, "Event frames written to streams");
            counter(registry, "eventhub.stream.writes", stats.writes, "Writes to streams (frames ready at once: one)");
            counter(registry, "eventhub.resumes", stats.resumes, "Streams that resumed from an id");
            counter(registry, "eventhub.resyncs", stats.resyncs, "Resync messages sent");
            counter(
                    registry,
                    "eventhub.slow.consumer.disconnects",
                    stats.slowConsumerDisconnects,
                    "Streams ended because their reader fell behind");
            counter(registry, "eventhub.store.errors", stats.storeErrors, "Store calls that failed");
            timer(registry, "eventhub.store.round.trips", "heads", stats.headPolls, stats.headPollNanos);
            timer(registry, "eventhub.store.round.trips", "read", stats.logReads, stats.logReadNanos);
        };
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue)
                .description(description)
                .register(registry);
    }

    private static void timer(MeterRegistry registry, String name, String op, LongAdder count, LongAdder nanos) {
        FunctionTimer.builder(name, count, LongAdder::longValue, c -> nanos.doubleValue(), TimeUnit.NANOSECONDS)
                .tag("op", op)
                .description("Poll round trips to the store and their duration")
                .register(registry);
    }
}
