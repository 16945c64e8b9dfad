package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.topic.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code id:} of a multiplexed stream: one position per topic, in one opaque token, so the
 * browser's {@code Last-Event-ID} resumes every topic of the stream exactly.
 *
 * <p>Wire form: {@code 1.} then one entry per topic joined by {@code .}; an entry is the topic's
 * 7-character tag (FNV-1a of its name, base 36), its epoch, {@code -}, and its sequence in base 36:
 * {@code 1.0k3h2xqk3x9q2ma01-h.2m9d0a1p7bq3r8s1c-2s}. Tags rather than positions in the request, so
 * a cursor still resumes the topics it names when a page asks for a different set; a topic it does
 * not name starts live. Every character is in {@code [0-9a-z.-]}: safe in a header and in a query
 * string, and it can never carry a line break. An entry is at most 37 characters, so a stream of
 * 32 topics has a cursor under 1,220 characters (typically about 22 per topic).
 */
final class StreamCursor {

    static final String VERSION = "1.";
    /** Longer input is not a cursor we made: it is refused unread. */
    static final int MAX_LENGTH = 8192;

    private static final int TAG_LENGTH = 7;
    private static final long TAG_SPACE = 78_364_164_096L; // 36^7
    private static final Pattern ENTRY = Pattern.compile("([0-9a-z]{7})([a-z0-9]{1,16})-([0-9a-z]{1,13})");

    private StreamCursor() {}

    /** The tag of a topic in a cursor: stable across instances and versions of the hub. */
    static String tag(Topic topic) {
        long hash = 0xcbf29ce484222325L;
        String name = topic.name();
        for (int i = 0; i < name.length(); i++) {
            hash ^= name.charAt(i);
            hash *= 0x100000001b3L;
        }
        String digits = Long.toString(Long.remainderUnsigned(hash, TAG_SPACE), 36);
        return "0".repeat(TAG_LENGTH - digits.length()) + digits;
    }

    /** One topic's entry: its tag and position. */
    static String entry(String tag, EventId position) {
        return tag + position.epoch() + "-" + Long.toString(position.sequence(), 36);
    }

    static String encode(String[] entries) {
        return VERSION + String.join(".", entries);
    }

    /**
     * Where each topic resumes from {@code cursor}: null or empty, every topic live; not a cursor
     * (garbage, too long, another version), every topic gets a resync ({@link Resume#malformed()});
     * else each named topic after its position, a topic the cursor does not name live, and a tag
     * named twice (never made by the hub) a resync.
     */
    static Resume[] decode(String cursor, List<Topic> topics) {
        Resume[] resumes = new Resume[topics.size()];
        if (cursor == null || cursor.isEmpty()) {
            java.util.Arrays.fill(resumes, Resume.LIVE);
            return resumes;
        }
        Optional<Map<String, EventId>> entries = parse(cursor);
        for (int i = 0; i < resumes.length; i++) {
            if (entries.isEmpty()) {
                resumes[i] = Resume.malformedAt(cursor);
                continue;
            }
            String tag = tag(topics.get(i));
            Map<String, EventId> map = entries.get();
            if (!map.containsKey(tag)) {
                resumes[i] = Resume.LIVE;
            } else {
                EventId at = map.get(tag);
                resumes[i] = at == null ? Resume.malformedAt(cursor) : Resume.after(cursor, at);
            }
        }
        return resumes;
    }

    /** The entries by tag (null value: tag named twice), or empty when this is not a cursor. */
    static Optional<Map<String, EventId>> parse(String cursor) {
        String text = cursor.trim();
        if (text.length() > MAX_LENGTH || !text.startsWith(VERSION)) {
            return Optional.empty();
        }
        Map<String, EventId> entries = new HashMap<>();
        for (String part : text.substring(VERSION.length()).split("\\.", -1)) {
            Matcher m = ENTRY.matcher(part);
            if (!m.matches()) {
                return Optional.empty();
            }
            long sequence;
            try {
                sequence = Long.parseLong(m.group(3), 36);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            EventId position = new EventId(m.group(2), sequence);
            if (sequence < 0 || (position.isStart() && sequence != 0)) {
                return Optional.empty();
            }
            if (entries.containsKey(m.group(1))) {
                entries.put(m.group(1), null);
            } else {
                entries.put(m.group(1), position);
            }
        }
        return Optional.of(entries);
    }
}
