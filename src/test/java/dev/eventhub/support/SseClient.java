package dev.eventhub.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real SSE connection for tests: it reads the stream's bytes as they arrive (de-chunked by the
 * HTTP client, otherwise untouched), so tests can assert the exact wire format.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StringBuffer received = new StringBuffer();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseClient open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        headers.forEach(request::header);
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError("could not open " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static SseClient open(URI uri) {
        return open(uri, Map.of());
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // closed by close() or by the server
        } finally {
            ended = true;
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Everything received so far. */
    public String text() {
        return received.toString();
    }

    public boolean ended() {
        return ended;
    }

    /** Complete frames received so far (each without its blank-line terminator). */
    public List<String> frames() {
        String all = text();
        int last = all.lastIndexOf("\n\n");
        if (last < 0) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList(all.substring(0, last).split("\n\n", -1)));
    }

    /** A frame with data: its {@code id:} (null when it has none) and its {@code data:}. */
    public record Message(String id, String data) {}

    /** Complete frames with a data field, in order, with their ids. */
    public List<Message> messages() {
        List<Message> out = new ArrayList<>();
        for (String frame : frames()) {
            String id = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("id:")) {
                    id = line.substring(3);
                } else if (line.startsWith("data:")) {
                    data = line.substring(5);
                }
            }
            if (data != null) {
                out.add(new Message(id, data));
            }
        }
        return out;
    }

    /** Frames with a data field, as {@code data} values. */
    public List<String> data() {
        List<String> out = new ArrayList<>();
        for (String frame : frames()) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data:")) {
                    out.add(line.substring(5));
                }
            }
        }
        return out;
    }

    public String awaitText(String expectedPrefix) {
        Await.until(
                "stream text starting with " + expectedPrefix + " (got " + text() + ")",
                () -> text().length() >= expectedPrefix.length());
        return text();
    }

    public List<String> awaitData(int count) {
        Await.until(count + " data frames (got " + text() + ")", () -> data().size() >= count);
        return data();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
    }
}
