package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads one HTTP/1.1 response (status, headers, Content-Length or chunked body) off a keep-alive connection. */
final class HttpResponseReader {
    final RespReader in;
    boolean closeAfter;

    HttpResponseReader(InputStream s) {
        in = new RespReader(s);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    int response() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        closeAfter = false;
        String h;
        while (!(h = line()).isEmpty()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            }
        }
        if (chunked) {
            long n;
            while ((n = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
                in.skip(n);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else {
            in.skip(length);
        }
        return code;
    }
}
