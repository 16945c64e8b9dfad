package dev.eventhub.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SSE client that behaves like a browser's {@code EventSource}: it parses the stream as the
 * HTML specification says ({@code id}, {@code data}, {@code retry}, comments; the last event id set
 * at each dispatch, also for a frame with no data), and when the stream ends it waits the
 * {@code retry:} delay and reconnects to the same URL with {@code Last-Event-ID}, until closed.
 */
public final class EventSourceClient implements AutoCloseable {

    /** One dispatched message, with the last event id as it was when it was dispatched. */
    public record Message(String lastEventId, String data) {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI uri;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;
    private volatile String lastEventId = "";
    private volatile long retryMillis = 3000;
    private volatile HttpResponse<java.io.InputStream> current;

    public EventSourceClient(URI uri) {
        this.uri = uri;
        this.loop = new Thread(this::run, "event-source");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    public List<Message> messages() {
        return messages;
    }

    /** How many times it connected (1 for a stream never reconnected). */
    public int connections() {
        return connections.get();
    }

    public String lastEventId() {
        return lastEventId;
    }

    private void run() {
        while (!closed) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream")
                    .GET();
            if (!lastEventId.isEmpty()) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<java.io.InputStream> response =
                        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                current = response;
                connections.incrementAndGet();
                if (response.statusCode() != 200) {
                    response.body().close();
                    return; // as a browser does: no reconnect after an error status
                }
                read(response);
            } catch (IOException e) {
                // connection lost: reconnect after the delay
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(retryMillis); // the reconnection delay the stream asked for
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(HttpResponse<java.io.InputStream> response) throws IOException {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String idBuffer = lastEventId;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    lastEventId = idBuffer;
                    if (hasData) {
                        messages.add(new Message(lastEventId, data.toString()));
                    }
                    data.setLength(0);
                    hasData = false;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "data" -> {
                        if (hasData) {
                            data.append('\n');
                        }
                        data.append(value);
                        hasData = true;
                    }
                    case "id" -> {
                        if (!value.contains("\0")) {
                            idBuffer = value;
                        }
                    }
                    case "retry" -> {
                        if (value.matches("[0-9]+")) {
                            retryMillis = Long.parseLong(value);
                        }
                    }
                    default -> {}
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        HttpResponse<java.io.InputStream> response = current;
        if (response != null) {
            try {
                response.body().close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
