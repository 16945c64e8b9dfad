package dev.eventhub.fanout;

import dev.eventhub.event.EventId;

/**
 * Where replay is decided: given a topic's head, the oldest sequence still retained and the id a
 * client last saw, either "send every retained event after sequence N" (possibly none), or "resync"
 * with a reason, never a partial replay. Used by streams ({@link TopicFeed}) and by the history
 * endpoint, so both answer the same.
 *
 * @param outcome what to do
 * @param afterSequence for {@link Outcome#REPLAY}: send retained events with a greater sequence
 * @param reason for {@link Outcome#RESYNC}: why; for {@link Outcome#AHEAD}: why, if a fresh read still says so
 */
public record ReplayPlan(Outcome outcome, long afterSequence, ResyncReason reason) {

    public enum Outcome {
        /** Send the retained events after {@code afterSequence}; nothing is missing. */
        REPLAY,
        /** The client cannot be brought up to date from the log: it must reload. */
        RESYNC,
        /**
         * The id is ahead of the head that was read (or that read had no head at all): read again
         * before deciding; if a fresh read still says so, resync with {@code reason}.
         */
        AHEAD
    }

    /** Why a client is told to reload; the wire value goes into the resync message. */
    public enum ResyncReason {
        HISTORY_TRIMMED("history_trimmed"),
        EPOCH_CHANGED("epoch_changed"),
        UNKNOWN_ID("unknown_id");

        private final String wire;

        ResyncReason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * @param head the head read with the window ({@link EventId#START} when the topic has none)
     * @param oldest the oldest retained sequence, or 0 when nothing is retained
     * @param after the id the client last saw
     */
    public static ReplayPlan plan(EventId head, long oldest, EventId after) {
        if (after.isStart()) {
            if (head.isStart()) {
                return replay(0);
            }
            return oldest == 1 ? replay(0) : resync(ResyncReason.HISTORY_TRIMMED);
        }
        if (head.isStart()) {
            // The client saw an event that this read does not show: the topic may have started
            // since (another instance served it), or its head is gone.
            return new ReplayPlan(Outcome.AHEAD, 0, ResyncReason.EPOCH_CHANGED);
        }
        if (!after.sameEpoch(head)) {
            return resync(ResyncReason.EPOCH_CHANGED);
        }
        if (after.sequence() > head.sequence()) {
            return new ReplayPlan(Outcome.AHEAD, 0, ResyncReason.UNKNOWN_ID);
        }
        if (after.sequence() == head.sequence()) {
            return replay(after.sequence());
        }
        if (oldest == 0 || oldest > after.sequence() + 1) {
            return resync(ResyncReason.HISTORY_TRIMMED);
        }
        return replay(after.sequence());
    }

    public static ReplayPlan resync(ResyncReason reason) {
        return new ReplayPlan(Outcome.RESYNC, 0, reason);
    }

    private static ReplayPlan replay(long afterSequence) {
        return new ReplayPlan(Outcome.REPLAY, afterSequence, null);
    }

    /** The resync message: every value is validated or constant, so no escaping is needed. */
    public static String resyncJson(ResyncReason reason, String topic, EventId head) {
        return "{\"action\":\"resync\",\"reason\":\"" + reason.wire() + "\",\"topic\":\"" + topic + "\",\"head\":\""
                + head + "\"}";
    }
}
