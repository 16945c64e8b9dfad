package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.ops.HubStats;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write path under the stream resources: a frame's bytes are encoded once and every response
 * writes that same buffer; frames ready for a stream at once go out in one write; nothing is
 * written while the socket is full, and a reader that stays behind is cut by bytes, giving back
 * everything it held.
 */
class ResponseOutputTest {

    private static final Topic TOPIC = new Topic(EntityType.TRIP, "wire", Channel.COMMENTS);

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** What a test response saw, and its switch for a full socket buffer. */
    static final class FakeResponse {
        final List<Buffer> writes = new CopyOnWriteArrayList<>();
        volatile boolean full;
        volatile Handler<Void> drain;
        final HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(
                HttpServerResponse.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "write" -> writes.add((Buffer) a[0]);
                        case "writeQueueFull" -> {
                            return full;
                        }
                        case "drainHandler" -> drain = cast(a[0]);
                        case "closed", "ended" -> {
                            return false;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(p);
                        }
                        case "equals" -> {
                            return p == a[0];
                        }
                        default -> {}
                    }
                    return m.getReturnType() == HttpServerResponse.class ? p : null;
                });

        @SuppressWarnings("unchecked")
        private static Handler<Void> cast(Object handler) {
            return (Handler<Void>) handler;
        }

        String text() {
            StringBuilder out = new StringBuilder();
            writes.forEach(b -> out.append(b.toString(StandardCharsets.UTF_8)));
            return out.toString();
        }
    }

    private static Frame event(int sequence) {
        return Frame.event(new StoredEvent(new EventId("k3x9q2ma01", sequence), "{\"n\":" + sequence + "}"));
    }

    /** A one-topic connection writing to {@code response}; the returned subscriber sees its end. */
    private static AssertSubscriber<Object> bind(Connection connection, FakeResponse response) {
        AtomicReference<MultiEmitter<?>> emitter = new AtomicReference<>();
        AssertSubscriber<Object> lifecycle = Multi.createFrom()
                .emitter(e -> emitter.set(e))
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        connection.bind(response.response, emitter.get());
        return lifecycle;
    }

    @Test
    void everyResponseWritesTheFramesOneSharedBufferWhichHoldsTheSseBytesInDirectMemory() {
        Frame frame = event(7);
        FakeResponse a = new FakeResponse();
        FakeResponse b = new FakeResponse();
        for (FakeResponse response : List.of(a, b)) {
            Connection connection =
                    new Connection(List.of(TOPIC), null, new HubStats(), null, null, Connection.Limits.NONE);
            bind(connection, response);
            connection.deliver(0, frame);
        }
        assertEquals(1, a.writes.size());
        assertSame(a.writes.get(0), b.writes.get(0), "both responses wrote the one encoded buffer");
        assertTrue(a.writes.get(0).getByteBuf().isDirect(), "no per-connection copy into direct memory");
        assertEquals("id:k3x9q2ma01-7\ndata:{\"n\":7}\n\n", a.text());
    }

    @Test
    void framesReadyForAStreamAtOnceGoOutInOneWriteOfViewsOfTheirSharedBytes() {
        HubStats stats = new HubStats();
        Context loop = vertx.getOrCreateContext();
        Connection connection =
                new Connection(List.of(TOPIC), null, stats, loop, new LoopOutbox(loop), Connection.Limits.NONE);
        FakeResponse response = new FakeResponse();
        bind(connection, response);
        List<Frame> frames = List.of(event(1), event(2), event(3), event(4), event(5));
        loop.runOnContext(ignored -> frames.forEach(f -> connection.deliver(0, f))); // one moment: one task

        Await.until("delivered", () -> stats.delivered.sum() == 5);
        assertEquals(1, response.writes.size(), "one write for the five frames");
        assertEquals(1, stats.writes.sum());
        StringBuilder expected = new StringBuilder();
        frames.forEach(f -> expected.append("id:")
                .append(f.id())
                .append("\ndata:")
                .append(f.data())
                .append("\n\n"));
        assertEquals(expected.toString(), response.text());
        ByteBuf written = response.writes.get(0).getByteBuf();
        while (!(written instanceof CompositeByteBuf)) {
            written = written.unwrap(); // Vert.x hands out views
        }
        CompositeByteBuf composite = (CompositeByteBuf) written;
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(
                    frames.get(i).wire().getByteBuf().memoryAddress(),
                    composite.internalComponent(i).memoryAddress(),
                    "frame " + i + " is written from its shared bytes, not a copy");
        }
    }

    @Test
    void nothingIsWrittenWhileTheSocketIsFullAndWhatWaitedGoesOutInOneWriteWhenItDrains() {
        HubStats stats = new HubStats();
        Connection connection = new Connection(List.of(TOPIC), null, stats, null, null, Connection.Limits.NONE);
        FakeResponse response = new FakeResponse();
        bind(connection, response);
        response.full = true;
        for (int i = 1; i <= 3; i++) {
            connection.deliver(0, event(i));
        }
        assertTrue(response.writes.isEmpty());
        response.full = false;
        response.drain.handle(null);
        assertEquals(1, response.writes.size());
        assertEquals(3, stats.delivered.sum());
    }

    @Test
    void aReaderThatStaysBehindIsCutByBytesAndGivesBackAllItHeld() {
        BufferBudget all = new BufferBudget(Long.MAX_VALUE);
        HubStats stats = new HubStats();
        Connection connection =
                new Connection(List.of(TOPIC), null, stats, null, null, new Connection.Limits(10_000, 200, all));
        FakeResponse response = new FakeResponse();
        AssertSubscriber<Object> lifecycle = bind(connection, response);
        response.full = true; // the reader reads nothing
        int given = 0;
        while (!lifecycle.hasCompleted() && given < 1_000) {
            connection.deliver(0, event(++given));
        }
        assertTrue(lifecycle.hasCompleted(), "cut after " + given + " frames");
        assertTrue(given < 20, "cut by its 200 bytes, not by frames: " + given);
        assertTrue(response.writes.isEmpty());
        assertEquals(1, stats.slowConsumerDisconnects.sum());
        assertEquals(0, all.held(), "what it held is given back");
        assertFalse(connection.hold(event(given + 1)), "nothing more is taken");
    }

    @Test
    void aFrameHeldByManyStreamsCountsItsBytesOnceOverAllOfThem() {
        BufferBudget all = new BufferBudget(Long.MAX_VALUE);
        Frame frame = event(1);
        List<Connection> connections = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Connection connection = new Connection(
                    List.of(TOPIC), null, new HubStats(), null, null, new Connection.Limits(10, 10_000, all));
            FakeResponse response = new FakeResponse();
            response.full = true;
            bind(connection, response);
            connection.deliver(0, frame);
            connections.add(connection);
        }
        assertEquals(frame.size() + 100L * Connection.ENTRY, all.held());
        connections.forEach(Connection::markClosed);
        assertEquals(0, all.held());
    }

    @Test
    void aStreamEndingWhileItsReaderIsBehindEndsAtOnceAndGivesBackWhatItHeld() {
        BufferBudget all = new BufferBudget(Long.MAX_VALUE);
        Connection connection = new Connection(
                List.of(TOPIC), null, new HubStats(), null, null, new Connection.Limits(100, 100_000, all));
        FakeResponse response = new FakeResponse();
        AssertSubscriber<Object> lifecycle = bind(connection, response);
        response.full = true;
        connection.deliver(0, event(1));
        connection.end();
        assertTrue(lifecycle.hasCompleted(), "ended without waiting for the socket");
        assertEquals(0, all.held());
    }
}
