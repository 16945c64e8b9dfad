package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;

/** A stream of frame objects ({@link Fanout#subscribe}), written as its subscriber requests them. */
final class EmitterOutput implements StreamOutput {

    private final MultiEmitter<? super Frame> emitter;

    EmitterOutput(MultiEmitter<? super Frame> emitter) {
        this.emitter = emitter;
    }

    /** Calls {@code writable} (on the requesting thread) when the subscriber asks for more. */
    void onWritable(Runnable writable) {
        emitter.onRequest(n -> writable.run());
    }

    @Override
    public long capacity() {
        return emitter.isCancelled() ? 0 : emitter.requested();
    }

    @Override
    public void write(List<Frame> frames) {
        frames.forEach(emitter::emit);
    }

    @Override
    public boolean ended() {
        return emitter.isCancelled();
    }

    @Override
    public void end() {
        emitter.complete();
    }

    @Override
    public void cut(String why) {
        emitter.fail(new BackPressureFailure("stream fell behind: " + why));
    }
}
