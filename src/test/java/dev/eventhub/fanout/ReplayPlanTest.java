package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.fanout.ReplayPlan.Outcome;
import dev.eventhub.fanout.ReplayPlan.ResyncReason;
import dev.eventhub.store.LogSlice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay decision on its own, for the cases the stream suites reach only by timing. */
class ReplayPlanTest {

    private static final EventId HEAD = new EventId("k3x9q2ma01", 7);

    @Test
    void anIdOfAnEpochThisInstanceHasNotReadYetIsReadAgainNotResynced() {
        // Another instance served the topic's first events; this one's last read found no head.
        ReplayPlan plan = ReplayPlan.plan(EventId.START, 0, new EventId("k3x9q2ma01", 1));
        assertEquals(Outcome.AHEAD, plan.outcome());
        assertEquals(
                ResyncReason.EPOCH_CHANGED, plan.reason(), "if a fresh read has no head either, the epoch is gone");
    }

    @Test
    void anIdAheadOfTheHeadInItsEpochIsReadAgainThenUnknown() {
        ReplayPlan plan = ReplayPlan.plan(HEAD, 1, new EventId("k3x9q2ma01", 9));
        assertEquals(Outcome.AHEAD, plan.outcome());
        assertEquals(ResyncReason.UNKNOWN_ID, plan.reason());
    }

    @Test
    void anIdOfAnotherEpochThanALiveHeadResyncsAtOnce() {
        assertEquals(
                ReplayPlan.resync(ResyncReason.EPOCH_CHANGED), ReplayPlan.plan(HEAD, 1, new EventId("otherepoch", 3)));
    }

    @Test
    void theStartPositionOnATopicWithoutHeadReplaysNothingAndGoesLive() {
        ReplayPlan plan = ReplayPlan.plan(EventId.START, 0, EventId.START);
        assertEquals(Outcome.REPLAY, plan.outcome());
        assertEquals(0, plan.afterSequence());
    }

    private static LogSlice slice(EventId head, long... sequences) {
        List<StoredEvent> events = new ArrayList<>();
        for (long s : sequences) {
            events.add(new StoredEvent(new EventId(head.epoch(), s), "{}"));
        }
        return new LogSlice(head, events);
    }

    @Test
    void aLiveFeedThatFindsNoHeadResyncsAsHeadLost() {
        assertEquals(ReplayPlan.resync(ResyncReason.HEAD_LOST), ReplayPlan.live(HEAD, LogSlice.EMPTY, false, false));
    }

    @Test
    void aLiveFeedThatFindsTheHeadBehindWhatItDeliveredRollsBack() {
        ReplayPlan plan = ReplayPlan.live(HEAD, slice(new EventId("k3x9q2ma01", 5)), false, false);
        assertEquals(Outcome.ROLL_BACK, plan.outcome());
    }

    @Test
    void aHeadBehindWhatNotificationsDeliveredDuringTheReadIsReadAgainNotRolledBack() {
        ReplayPlan plan = ReplayPlan.live(HEAD, slice(new EventId("k3x9q2ma01", 5)), true, false);
        assertEquals(Outcome.AHEAD, plan.outcome());
    }

    @Test
    void aLiveFeedThatFindsAnotherEpochResyncs() {
        EventId other = new EventId("otherepoch", 2);
        assertEquals(
                ReplayPlan.resync(ResyncReason.EPOCH_CHANGED), ReplayPlan.live(HEAD, slice(other, 1, 2), false, false));
        assertEquals(
                ReplayPlan.resync(ResyncReason.ROLLED_BACK), ReplayPlan.live(HEAD, slice(other, 1, 2), false, true));
    }

    @Test
    void aFeedWithNothingDeliveredContinuesIntoAnEpochCompleteFromItsStart() {
        EventId other = new EventId("otherepoch", 2);
        ReplayPlan plan = ReplayPlan.live(EventId.START, slice(other, 1, 2), false, false);
        assertEquals(Outcome.REPLAY, plan.outcome());
        assertEquals(0, plan.afterSequence());
        assertEquals(
                ReplayPlan.resync(ResyncReason.EPOCH_CHANGED),
                ReplayPlan.live(EventId.START, slice(other, 2), false, false),
                "trimmed before this instance read it");
    }

    @Test
    void aLiveFeedContinuesAtTheNextSequenceAndResyncsOnAGap() {
        EventId next = new EventId("k3x9q2ma01", 9);
        assertEquals(7, ReplayPlan.live(HEAD, slice(next, 8, 9), false, false).afterSequence());
        assertEquals(
                ReplayPlan.resync(ResyncReason.HISTORY_TRIMMED), ReplayPlan.live(HEAD, slice(next, 9), false, false));
    }
}
