package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.LogSlice;

/**
 * Where replay is decided: given a topic's head, the oldest sequence still retained and the id a
 * client last saw, either "send every retained event after sequence N" (possibly none), or "resync"
 * with a reason, never a partial replay. Used by streams ({@link TopicFeed}) and by the history
 * endpoint, so both answer the same. {@link #live} decides the same for a feed's live subscribers
 * when a new read of the store comes in: continue, resync, or (the head went back) roll back.
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
        AHEAD,
        /**
         * Live only: the store's head is behind what this instance delivered, in the same epoch: the
         * store was rolled back (a failover to a replica that lagged). Start a new epoch if the head
         * is still the one read (so no id is given to two events), read again, then resync.
         */
        ROLL_BACK
    }

    /** Why a client is told to reload; the wire value goes into the resync message. */
    public enum ResyncReason {
        HISTORY_TRIMMED("history_trimmed"),
        EPOCH_CHANGED("epoch_changed"),
        UNKNOWN_ID("unknown_id"),
        /** The topic's head is gone (Redis flushed, restarted without persistence, evicted, or expired). */
        HEAD_LOST("head_lost"),
        /** The store went back behind events this instance had delivered; a new epoch was started. */
        ROLLED_BACK("rolled_back");

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
            if (head.isStart() || head.sequence() == 0) {
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

    /**
     * What a feed's live subscribers get from a new read of the store: {@link Outcome#REPLAY} of the
     * read's events after {@code afterSequence} (none when nothing is new), a resync, or
     * {@link Outcome#ROLL_BACK}. Never an event of a new log before a resync: a head that vanished,
     * changed epoch or went back is always told.
     *
     * @param delivered the head this feed has delivered up to ({@link EventId#START} when none)
     * @param slice the read: the store's head and its events after {@code delivered}
     * @param overtaken notifications delivered events while this read ran, so a head behind them
     *        may be the read's age, not the store's: {@link Outcome#AHEAD} asks for a fresh read
     * @param rollingBack this feed found the head behind and started a new epoch: what it reads
     *        now is told as {@link ResyncReason#ROLLED_BACK}, and a head of the rolled back epoch
     *        (published before the new epoch took) is rolled back again, never continued
     */
    public static ReplayPlan live(EventId delivered, LogSlice slice, boolean overtaken, boolean rollingBack) {
        ReplayPlan plan = liveStep(delivered, slice, rollingBack);
        if (overtaken && plan.outcome() != Outcome.REPLAY) {
            return new ReplayPlan(Outcome.AHEAD, 0, plan.reason());
        }
        return plan;
    }

    private static ReplayPlan liveStep(EventId delivered, LogSlice slice, boolean rollingBack) {
        EventId head = slice.head();
        if (head.isStart()) {
            return delivered.isStart() ? replay(0) : resync(ResyncReason.HEAD_LOST);
        }
        if (head.sameEpoch(delivered)) {
            if (rollingBack || head.sequence() < delivered.sequence()) {
                return new ReplayPlan(Outcome.ROLL_BACK, 0, ResyncReason.ROLLED_BACK);
            }
            StoredEvent first = slice.events().stream()
                    .filter(e -> e.id().sequence() > delivered.sequence())
                    .findFirst()
                    .orElse(null);
            if (head.sequence() > delivered.sequence()
                    && (first == null || first.id().sequence() != delivered.sequence() + 1)) {
                return resync(ResyncReason.HISTORY_TRIMMED);
            }
            return replay(delivered.sequence());
        }
        // Another epoch. From "nothing delivered" (a topic without events, or subscribers already
        // told the head was lost) an epoch complete from its start continues their streams; from a
        // live epoch, the old one vanished unseen and may have ended with events nobody read.
        boolean complete = head.sequence() == 0
                || (!slice.events().isEmpty() && slice.events().get(0).id().sequence() == 1);
        if (delivered.isStart() && complete && !rollingBack) {
            return replay(0);
        }
        return resync(rollingBack ? ResyncReason.ROLLED_BACK : ResyncReason.EPOCH_CHANGED);
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
