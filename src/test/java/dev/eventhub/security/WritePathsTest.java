package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WritePathsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/publish/trip/1/comments",
                "/api/publish",
                "/api/publish/",
                "//api//publish/trip/1/comments",
                "/api/./publish/trip/1/comments",
                "/api/x/../publish/trip/1/comments",
                "/API/Publish/trip/1/comments",
                "/api;a=b/publish;c=d/trip/1/comments",
                "api/publish/trip/1/comments",
                "/api/publish?x=1",
                "/api/%70ublish/trip/1/comments",
                "/api/%2570ublish/trip/1/comments",
                "/api%2Fpublish/trip/1/comments",
                "/api/publish/trip/%25%89%zz/comments"
            })
    void everySpellingOfAPublishPathNeedsAKeyWhateverTheMethod(String path) {
        for (String method : new String[] {"POST", "PUT", "GET", "DELETE", "OPTIONS"}) {
            assertTrue(WritePaths.needKey(method, path), method + " " + path);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "POST", "PATCH", "put"})
    void presenceWritesNeedAKey(String method) {
        assertTrue(WritePaths.needKey(method, "/api/presence/trip/1/viewers/u1"));
        assertTrue(WritePaths.needKey(method, "/api/presence"));
        assertTrue(WritePaths.needKey(method, "//api/presence/../presence/trip/1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void presenceReadsAndOtherPathsDoNot(String method) {
        assertFalse(WritePaths.needKey(method, "/api/presence/trip/1"));
        assertFalse(WritePaths.needKey(method, "/api/subscribe/trip/1/comments"));
        assertFalse(WritePaths.needKey(method, "/api/history/trip/1/comments"));
        assertFalse(WritePaths.needKey(method, "/api/publisher"));
        assertFalse(WritePaths.needKey(method, "/api/presenceX/trip/1"));
        assertFalse(WritePaths.needKey(method, "/api/publish/../history/trip/1/comments"));
    }
}
