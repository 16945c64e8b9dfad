package dev.eventhub.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send (bare CR, NUL, folded
 * headers, broken framing). It reads the status line and headers, then the body (de-chunked) until
 * it is complete, {@code enough} says so, the server closes, or time runs out.
 */
public final class RawHttp {

    /** What came back; {@code status} is -1 when the server closed or went silent without a status line. */
    public record Reply(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    public static Reply exchange(int port, byte[] request, Duration timeout, Predicate<String> enough) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may refuse and close before reading everything; its answer is still readable.
            }
            return read(socket.getInputStream(), enough, System.nanoTime() + timeout.toNanos());
        } catch (IOException e) {
            return new Reply(-1, Map.of(), "");
        }
    }

    public static Reply exchange(int port, String request, Duration timeout) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout, body -> false);
    }

    private static Reply read(InputStream in, Predicate<String> enough, long deadline) throws IOException {
        Reader reader = new Reader(new BufferedInputStream(in), deadline);
        String statusLine = reader.line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            return new Reply(-1, Map.of(), "");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = reader.line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String size = reader.line();
                if (size == null || size.isBlank()) {
                    break;
                }
                int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (length == 0 || !reader.bytes(length, body)) {
                    break;
                }
                reader.line();
                if (enough.test(body.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
        } else if (headers.containsKey("content-length")) {
            reader.bytes(Integer.parseInt(headers.get("content-length")), body);
        } else {
            int c;
            while (!enough.test(body.toString(StandardCharsets.UTF_8)) && (c = reader.next()) >= 0) {
                body.write(c);
            }
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** Reads lines and counted bytes, treating a timeout or the deadline as the end of the input. */
    private static final class Reader {
        private final InputStream in;
        private final long deadline;

        Reader(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        private int next() throws IOException {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                return -1;
            }
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = next()) >= 0) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        boolean bytes(int count, ByteArrayOutputStream into) throws IOException {
            for (int i = 0; i < count; i++) {
                int c = next();
                if (c < 0) {
                    return false;
                }
                into.write(c);
            }
            return true;
        }
    }
}
