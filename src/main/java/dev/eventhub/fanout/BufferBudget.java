package dev.eventhub.fanout;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that every open stream of this instance holds, queued and not yet taken by its writer,
 * against one bound ({@code realtime.stream.total-buffer-bytes}), so that a burst on a popular topic
 * cannot take the heap even while each stream is under its own bound.
 */
final class BufferBudget {

    private final AtomicLong held = new AtomicLong();
    private final long limit;

    BufferBudget(long limit) {
        this.limit = limit;
    }

    /** Adds {@code bytes}; false (and nothing added) when that would pass the bound. */
    boolean take(long bytes) {
        long now = held.addAndGet(bytes);
        if (now > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Adds {@code bytes} whatever the bound (frames already written). */
    void add(long bytes) {
        held.addAndGet(bytes);
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
