package dev.eventhub.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.support.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** If an operator turns access logs on, tokens in the query string and keys in headers stay out of them. */
@QuarkusTest
@TestProfile(AccessLogProfile.class)
class AccessLogTest {

    @Test
    void anAccessLogLineHasThePathButNeitherTheQueryStringNorTheAuthorizationHeader() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger accessLog = Logger.getLogger("io.quarkus.http.access-log");
        accessLog.addHandler(capture);
        try {
            given().header("Authorization", "Bearer key-that-must-not-be-logged")
                    .get("/api/history/trip/access-log-probe/comments?token=token-that-must-not-be-logged&after=0-0");
            Await.until("the access log line", () -> lines.stream().anyMatch(l -> l.contains("access-log-probe")));
        } finally {
            accessLog.removeHandler(capture);
        }
        String line = lines.stream()
                .filter(l -> l.contains("access-log-probe"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains("\"GET /api/history/trip/access-log-probe/comments HTTP/1.1\""), line);
        assertFalse(line.contains("must-not-be-logged") || line.contains("?"), line);
    }
}
