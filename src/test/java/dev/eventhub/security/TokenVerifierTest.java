package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.security.NotAuthenticatedException.Reason;
import dev.eventhub.support.MutableClock;
import dev.eventhub.support.Tokens;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierTest {

    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Map<String, String> HS256 = Map.of("alg", "HS256", "typ", "JWT");

    private final MutableClock clock = new MutableClock();
    private final TokenVerifier verifier = new TokenVerifier(Tokens.SECRET, SKEW, clock);
    private final Topic comments = Topic.parse("trip", "123", "comments");

    private Instant inAMinute() {
        return clock.instant().plusSeconds(60);
    }

    private Map<String, Object> claims(Object... pairs) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exp", inAMinute().getEpochSecond());
        for (int i = 0; i < pairs.length; i += 2) {
            claims.put((String) pairs[i], pairs[i + 1]);
        }
        return claims;
    }

    private Reason refusal(String token) {
        return assertThrows(NotAuthenticatedException.class, () -> verifier.verify(token))
                .reason();
    }

    @Test
    void aWellSignedTokenGrantsItsTopicsAndNamesItsViewer() {
        SubscriberToken token = verifier.verify(Tokens.grant(inAMinute(), "user-42", "trip/123/comments"));
        assertTrue(token.grants(comments));
        assertFalse(token.grants(Topic.parse("trip", "124", "comments")));
        assertEquals(Optional.of("user-42"), token.subject());
        assertEquals(inAMinute().plus(SKEW), token.acceptedUntil(), "accepted until exp plus the clock skew");
    }

    @Test
    void aTokenWithoutSubOrTopicsNamesNobodyAndGrantsNothing() {
        SubscriberToken token = verifier.verify(Tokens.sign(Tokens.SECRET, HS256, claims()));
        assertEquals(Optional.empty(), token.subject());
        assertFalse(token.grants(comments));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsInvalid() {
        String token = Tokens.sign(
                "another-secret-that-is-also-long-enough-000000", HS256, claims("topics", List.of("*/*/*")));
        assertEquals(Reason.TOKEN_INVALID, refusal(token));
    }

    @Test
    void aTamperedPayloadIsInvalid() {
        String token = Tokens.grant(inAMinute(), null, "trip/123/comments");
        String[] parts = token.split("\\.");
        String forged =
                parts[0] + "." + Tokens.encode("{\"exp\":" + inAMinute().getEpochSecond() + ",\"topics\":[\"*/*/*\"]}")
                        + "." + parts[2];
        assertEquals(Reason.TOKEN_INVALID, refusal(forged));
    }

    @Test
    void algNoneIsRefusedWithOrWithoutASignature() {
        String header = Tokens.encode("{\"alg\":\"none\"}");
        String payload = Tokens.encode("{\"exp\":" + inAMinute().getEpochSecond() + ",\"topics\":[\"*/*/*\"]}");
        assertEquals(Reason.TOKEN_INVALID, refusal(header + "." + payload + "."));
        assertEquals(Reason.TOKEN_INVALID, refusal(header + "." + payload));
        // Even correctly HMAC-signed, a header that does not say HS256 is refused.
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, Map.of("alg", "none"), claims())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS384", "HS512", "RS256", "hs256", ""})
    void anyAlgOtherThanHs256IsRefusedEvenWhenTheMacMatches(String alg) {
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, Map.of("alg", alg), claims())));
    }

    @Test
    void aCritHeaderIsRefused() {
        Map<String, Object> header = Map.of("alg", "HS256", "crit", List.of("exp"));
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, header, claims())));
    }

    @Test
    void expIsRequiredAndMustBeANumber() {
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, Map.of("topics", List.of()))));
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, Map.of("exp", "soon"))));
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, Map.of("exp", 1e300))));
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, Map.of("exp", -5))));
    }

    @Test
    void anExpiredTokenIsAcceptedWithinTheClockSkewAndRefusedAsExpiredAfter() {
        String token = Tokens.grant(clock.instant().plusSeconds(1), null, "trip/123/comments");
        clock.advance(Duration.ofSeconds(30));
        verifier.verify(token); // 29 s past exp: within the 30 s skew
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Reason.TOKEN_EXPIRED, refusal(token));
    }

    @Test
    void aFractionalExpIsHonoured() {
        double exp = clock.instant().getEpochSecond() + 0.5;
        SubscriberToken token = verifier.verify(Tokens.sign(Tokens.SECRET, HS256, Map.of("exp", exp)));
        assertEquals(clock.instant().plusMillis(500).plus(SKEW), token.acceptedUntil());
    }

    @Test
    void aTokenNotValidYetIsRefusedBeyondTheSkew() {
        long now = clock.instant().getEpochSecond();
        verifier.verify(Tokens.sign(Tokens.SECRET, HS256, claims("nbf", now + 20)));
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, claims("nbf", now + 31))));
    }

    @Test
    void malformedTopicsMakeTheWholeTokenInvalid() {
        for (Object topics : List.of(
                "trip/123/comments",
                List.of("trip/12*/comments"),
                List.of("trip/**"),
                List.of("car/1/comments"),
                List.of(7),
                List.of("trip/1/comments/x"),
                List.of("trip/a b/comments"))) {
            assertEquals(
                    Reason.TOKEN_INVALID,
                    refusal(Tokens.sign(Tokens.SECRET, HS256, claims("topics", topics))),
                    topics.toString());
        }
        List<String> tooMany = java.util.Collections.nCopies(101, "trip/1/comments");
        assertEquals(Reason.TOKEN_INVALID, refusal(Tokens.sign(Tokens.SECRET, HS256, claims("topics", tooMany))));
    }

    @Test
    void subMustBeShortPrintableAscii() {
        for (Object sub : List.of("", "a b", "line\nbreak", "nul\u0000", "x".repeat(129), 42, "é")) {
            assertEquals(
                    Reason.TOKEN_INVALID,
                    refusal(Tokens.sign(Tokens.SECRET, HS256, claims("sub", sub))),
                    String.valueOf(sub));
        }
        assertEquals(
                Optional.of("auth0|abc-123"),
                verifier.verify(Tokens.sign(Tokens.SECRET, HS256, claims("sub", "auth0|abc-123")))
                        .subject());
    }

    @Test
    void structurallyBrokenTokensAreInvalidWithoutDetail() {
        String good = Tokens.grant(inAMinute(), null, "trip/123/comments");
        for (String token : List.of(
                "",
                ".",
                "..",
                "a.b",
                "a.b.c.d",
                good + "=",
                good.replace('.', '!'),
                good + ".x",
                "x".repeat(5000),
                good.substring(0, good.length() - 1) + "+")) {
            NotAuthenticatedException e = assertThrows(NotAuthenticatedException.class, () -> verifier.verify(token));
            assertEquals(Reason.TOKEN_INVALID, e.reason());
            assertEquals("The subscriber token is not valid.", e.getMessage(), "unsigned input learns nothing more");
        }
    }

    @Test
    void signedButMalformedJsonIsInvalid() {
        for (String payload : List.of("[]", "{", "{\"exp\":1,\"exp\":2}", "{} {}", "null")) {
            assertEquals(
                    Reason.TOKEN_INVALID,
                    refusal(Tokens.signRaw(Tokens.SECRET, "{\"alg\":\"HS256\"}", payload)),
                    payload);
        }
    }

    @Test
    void withoutASecretEveryTokenIsRefused() {
        TokenVerifier none = new TokenVerifier(null, SKEW, clock);
        assertFalse(none.enabled());
        assertThrows(NotAuthenticatedException.class, () -> none.verify(Tokens.grant(inAMinute(), null, "*/*/*")));
    }

    @Test
    void aShortSecretIsCalledWeak() {
        assertFalse(
                TokenSecrets.problems(Optional.of("short"), Optional.empty()).isEmpty());
        assertTrue(TokenSecrets.problems(Optional.of(Tokens.SECRET), Optional.empty())
                .isEmpty());
    }
}
