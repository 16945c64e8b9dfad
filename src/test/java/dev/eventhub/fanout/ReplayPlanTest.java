package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.event.EventId;
import dev.eventhub.fanout.ReplayPlan.Outcome;
import dev.eventhub.fanout.ReplayPlan.ResyncReason;
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
}
