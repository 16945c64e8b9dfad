package dev.eventhub.faults;

import dev.eventhub.event.EventId;
import dev.eventhub.support.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one SSE stream of one topic delivered, in order: events (with the comment each carries) and
 * resyncs (with their reason). {@link #assertOnceAndInOrder()} is the promise a stream keeps through
 * any fault: every event follows the one before it (same epoch, next sequence) or the resync before
 * it, so nothing is skipped, repeated or mixed in from another log without a resync saying so.
 */
record StreamLog(String name, List<StreamLog.Delivery> deliveries) {

    /** One data frame: an event ({@code reason} null) or a resync ({@code comment} null). */
    record Delivery(EventId id, String comment, String reason) {

        boolean resync() {
            return reason != null;
        }
    }

    private static final Pattern COMMENT = Pattern.compile("\"comment\":\\{\"id\":\"([^\"]+)\"");
    private static final Pattern REASON = Pattern.compile("\"action\":\"resync\",\"reason\":\"([^\"]+)\"");

    static StreamLog of(String name, SseClient sse) {
        List<Delivery> out = new ArrayList<>();
        for (SseClient.Message message : sse.messages()) {
            EventId eventId = EventId.parse(message.id())
                    .orElseThrow(() -> new AssertionError(name + ": a data frame without a valid id: " + message));
            Matcher reason = REASON.matcher(message.data());
            Matcher comment = COMMENT.matcher(message.data());
            if (reason.find()) {
                out.add(new Delivery(eventId, null, reason.group(1)));
            } else if (comment.find()) {
                out.add(new Delivery(eventId, comment.group(1), null));
            } else {
                throw new AssertionError(name + ": neither an event nor a resync: " + message);
            }
        }
        return new StreamLog(name, out);
    }

    void assertOnceAndInOrder() {
        EventId position = EventId.START;
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            if (d.resync()) {
                position = d.id(); // the resync's position: the new log continues from it
                continue;
            }
            boolean next = position.isStart()
                    ? d.id().sequence() == 1
                    : d.id().sameEpoch(position) && d.id().sequence() == position.sequence() + 1;
            if (!next) {
                throw new AssertionError(name + ": " + d.id() + " (" + d.comment() + ") after " + position
                        + " without a resync between; delivered: " + summary());
            }
            position = d.id();
        }
    }

    boolean delivered(String id) {
        return deliveries.stream()
                .anyMatch(d -> !d.resync() && d.id().toString().equals(id));
    }

    /** The comment delivered under {@code id}, or null. */
    String commentOf(String id) {
        return deliveries.stream()
                .filter(d -> !d.resync() && d.id().toString().equals(id))
                .map(Delivery::comment)
                .findFirst()
                .orElse(null);
    }

    List<Delivery> resyncs() {
        return deliveries.stream().filter(Delivery::resync).toList();
    }

    /** Ids and comments or resync reasons, one a line: for failure messages. */
    String summary() {
        StringBuilder out = new StringBuilder();
        for (Delivery d : deliveries) {
            out.append("\n  ").append(d.id()).append(' ').append(d.resync() ? "resync " + d.reason() : d.comment());
        }
        return out.toString();
    }
}
