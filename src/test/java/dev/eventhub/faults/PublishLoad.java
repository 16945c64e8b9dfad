package dev.eventhub.faults;

import dev.eventhub.support.TestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app server publishing to one topic through the hub without pause: one request at a time, a new
 * comment ({@code a0}, {@code a1}, ...) each {@code pace}, each with its own {@code Idempotency-Key}
 * as the JS client sends it. A comment answered 503 is sent once more with the same key (which
 * stores it once, whatever the first attempt did), then the next comment follows whatever the
 * answer. Each attempt's answer is kept, so a test can compare the ids the hub acknowledged with
 * what it stored and delivered.
 */
final class PublishLoad implements AutoCloseable {

    /** One publish: its comment, when it was answered, its status (-1: no answer) and its id (201 only). */
    record Attempt(String comment, long answeredNanos, int status, String id) {

        boolean acknowledged() {
            return status == 201;
        }
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final Duration pace;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Thread thread;
    /** What makes this publisher's idempotency keys its own. */
    private final String run = UUID.randomUUID().toString();

    private volatile boolean stopped;

    private PublishLoad(URI uri, Duration pace) {
        this.uri = uri;
        this.pace = pace;
        this.thread = new Thread(this::run, "publish-load");
        this.thread.setDaemon(true);
    }

    /** Starts publishing to {@code topic} on the hub at {@code base} every {@code pace}. */
    static PublishLoad start(URI base, String topic, Duration pace) {
        PublishLoad load = new PublishLoad(base.resolve("/api/publish/" + topic), pace);
        load.thread.start();
        return load;
    }

    private void run() {
        boolean retried = false;
        for (int n = 0; !stopped; ) {
            Attempt attempt = publish("a" + n);
            attempts.add(attempt);
            if (attempt.status() == 503 && !retried) {
                retried = true; // the same comment, the same key, once more
            } else {
                retried = false;
                n++;
            }
            try {
                Thread.sleep(pace.toMillis()); // pacing the publisher, not waiting for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Attempt publish(String comment) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestKeys.PUBLISH_KEY)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", run + "-" + comment)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"action\":\"new_comment\",\"comment\":{\"id\":\"" + comment + "\"}}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String id = null;
            if (response.statusCode() == 201) {
                Matcher m = ID.matcher(response.body());
                id = m.find() ? m.group(1) : null;
            }
            return new Attempt(comment, System.nanoTime(), response.statusCode(), id);
        } catch (IOException e) {
            return new Attempt(comment, System.nanoTime(), -1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(comment, System.nanoTime(), -1, null);
        }
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Acknowledged publishes answered after {@code nanos} ({@link System#nanoTime()}). */
    long acknowledgedSince(long nanos) {
        return attempts.stream()
                .filter(a -> a.acknowledged() && a.answeredNanos() > nanos)
                .count();
    }

    /**
     * Acknowledged ids and their comments, in the order acknowledged; fails when the hub gave one id
     * to two comments, or two ids to one comment.
     */
    Map<String, String> acknowledged() {
        Map<String, String> byId = new LinkedHashMap<>();
        Map<String, String> byComment = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            if (a.acknowledged()) {
                String before = byId.putIfAbsent(a.id(), a.comment());
                if (before != null && !before.equals(a.comment())) {
                    throw new AssertionError("id " + a.id() + " acknowledged for " + before + " and " + a.comment());
                }
                String first = byComment.putIfAbsent(a.comment(), a.id());
                if (first != null && !first.equals(a.id())) { // a keyed retry must get its first id
                    throw new AssertionError(a.comment() + " acknowledged as " + first + " and as " + a.id());
                }
            }
        }
        return byId;
    }

    /** Stops publishing and waits for the publish in flight to be answered. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the publisher did not stop within 15 s");
        }
    }
}
