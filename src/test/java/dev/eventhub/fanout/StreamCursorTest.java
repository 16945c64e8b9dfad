package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multiplexed stream's cursor: its form, its bounds, and what garbage does. */
class StreamCursorTest {

    private static final Topic A = new Topic(EntityType.TRIP, "123", Channel.COMMENTS);
    private static final Topic B = new Topic(EntityType.TRIP, "123", Channel.LIKES);

    private static String cursorOf(List<Topic> topics, List<EventId> positions) {
        String[] entries = new String[topics.size()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = StreamCursor.entry(StreamCursor.tag(topics.get(i)), positions.get(i));
        }
        return StreamCursor.encode(entries);
    }

    @Test
    void aCursorResumesEachTopicItNamesAfterItsPositionWhateverTheOrder() {
        EventId a = new EventId("k3x9q2ma01", 17);
        EventId b = EventId.START;
        String cursor = cursorOf(List.of(A, B), List.of(a, b));
        assertTrue(cursor.matches("1\\.[0-9a-z]{7}k3x9q2ma01-h\\.[0-9a-z]{7}0-0"), cursor);
        Resume[] resumes = StreamCursor.decode(cursor, List.of(B, A));
        assertEquals(b, resumes[0].after());
        assertEquals(a, resumes[1].after());
    }

    @Test
    void aTopicTheCursorDoesNotNameStartsLive() {
        String cursor = cursorOf(List.of(A), List.of(new EventId("k3x9q2ma01", 1)));
        Resume[] resumes = StreamCursor.decode(cursor, List.of(A, B));
        assertTrue(resumes[1].live());
    }

    @Test
    void garbageTooLongOrAnotherFormResyncsEveryTopic() {
        String valid = cursorOf(List.of(A), List.of(new EventId("k3x9q2ma01", 1)));
        List<String> bad = new ArrayList<>(List.of(
                "garbage",
                "k3x9q2ma01-17",
                "2." + valid.substring(2),
                valid + ".",
                valid + "!",
                valid.replace("-1", "-"),
                "1." + StreamCursor.tag(A) + "0-5",
                "1." + StreamCursor.tag(A) + "k3x9q2ma01-zzzzzzzzzzzzz",
                valid + ".".repeat(1) + "x".repeat(StreamCursor.MAX_LENGTH)));
        for (String cursor : bad) {
            for (Resume resume : StreamCursor.decode(cursor, List.of(A, B))) {
                assertTrue(resume.malformed(), cursor);
            }
        }
    }

    @Test
    void aTagNamedTwiceResyncsItsTopic() {
        String entry = StreamCursor.entry(StreamCursor.tag(A), new EventId("k3x9q2ma01", 1));
        Resume[] resumes = StreamCursor.decode("1." + entry + "." + entry, List.of(A, B));
        assertTrue(resumes[0].malformed());
        assertTrue(resumes[1].live());
    }

    @Test
    void thirtyTwoTopicsAtTheirLongestStayUnder1220Characters() {
        List<Topic> topics = new ArrayList<>();
        List<EventId> positions = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            topics.add(new Topic(EntityType.TRIP, "t" + i, Channel.COMMENTS));
            positions.add(new EventId("abcdefghijklmnop", Long.MAX_VALUE));
        }
        String cursor = cursorOf(topics, positions);
        assertTrue(cursor.length() <= 1218, "length " + cursor.length());
        Resume[] resumes = StreamCursor.decode(cursor, topics);
        assertEquals(Long.MAX_VALUE, resumes[31].after().sequence());
    }

    @Test
    void aMultiplexHoldsUntilEveryUnknownTopicHasItsFirstFrameAndOnlyTheLastMessageMovesTheId() {
        Resume[] resumes = {Resume.malformedAt("x"), Resume.LIVE};
        Multiplex multiplex = new Multiplex(List.of(A, B), resumes);
        EventId headA = new EventId("k3x9q2ma01", 9);
        EventId headB = new EventId("p7bq3r8s1c", 3);
        assertEquals(List.of(), multiplex.accept(1, Frame.position(headB)));
        assertEquals(
                List.of(),
                multiplex.accept(1, Frame.event(new StoredEvent(new EventId("p7bq3r8s1c", 4), "{\"n\":4}"))));
        List<Frame> out = multiplex.accept(0, Frame.message(headA, "{\"action\":\"resync\"}"));
        assertEquals(2, out.size());
        assertEquals(
                "{\"entityType\":\"trip\",\"entityId\":\"123\",\"channel\":\"comments\",\"action\":\"resync\"}",
                out.get(0).data());
        String afterResync = cursorOf(List.of(A, B), List.of(headA, headB));
        assertEquals(afterResync, out.get(0).id(), "the last opening message carries the cursor");
        assertEquals("{\"n\":4}", out.get(1).data());
        assertEquals(
                cursorOf(List.of(A, B), List.of(headA, new EventId("p7bq3r8s1c", 4))),
                out.get(1).id());
        assertNull(out.get(1).position());
    }
}
