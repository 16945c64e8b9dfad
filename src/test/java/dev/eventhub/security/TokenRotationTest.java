package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.security.NotAuthenticatedException.Reason;
import dev.eventhub.support.MutableClock;
import dev.eventhub.support.Tokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Several token secrets at once, chosen by the token's kid, and a required audience. */
class TokenRotationTest {

    private static final String OLD = "old-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String NEW = "new-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();

    private TokenVerifier verifier(Optional<String> audience) {
        return new TokenVerifier(
                TokenSecrets.of(Optional.of(Tokens.SECRET), Optional.of(List.of("2026-12:" + OLD, " 2027-01:" + NEW))),
                audience,
                SKEW,
                clock);
    }

    private String token(String secret, String kid, Object aud) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        if (kid != null) {
            header.put("kid", kid);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "ann");
        claims.put("topics", List.of("trip/1/*"));
        claims.put("exp", clock.instant().plusSeconds(60).getEpochSecond());
        if (aud != null) {
            claims.put("aud", aud);
        }
        return Tokens.sign(secret, header, claims);
    }

    private static Reason refusal(TokenVerifier verifier, String token) {
        return assertThrows(NotAuthenticatedException.class, () -> verifier.verify(token))
                .reason();
    }

    @Test
    void eachKidSelectsItsSecretSoOldAndNewTokensAreAcceptedTogether() {
        TokenVerifier verifier = verifier(Optional.empty());
        assertEquals(
                Optional.of("ann"), verifier.verify(token(OLD, "2026-12", null)).subject());
        assertEquals(
                Optional.of("ann"), verifier.verify(token(NEW, "2027-01", null)).subject());
        assertEquals(
                Optional.of("ann"),
                verifier.verify(token(Tokens.SECRET, null, null)).subject(),
                "no kid: realtime.token-secret");
    }

    @Test
    void aKidIsNeverTriedAgainstAnotherSecretAndAnUnknownKidIsRefused() {
        TokenVerifier verifier = verifier(Optional.empty());
        assertEquals(Reason.TOKEN_INVALID, refusal(verifier, token(NEW, "2026-12", null)));
        assertEquals(Reason.TOKEN_INVALID, refusal(verifier, token(OLD, null, null)), "no kid is the unnamed secret");
        assertEquals(Reason.TOKEN_INVALID, refusal(verifier, token(OLD, "2025-01", null)));
        assertEquals(Reason.TOKEN_INVALID, refusal(verifier, token(Tokens.SECRET, "", null)));
        String numericKid = Tokens.sign(
                OLD,
                Map.of("alg", "HS256", "kid", 7),
                Map.of("exp", clock.instant().plusSeconds(60).getEpochSecond()));
        assertEquals(Reason.TOKEN_INVALID, refusal(verifier, numericKid));
    }

    @Test
    void aRetiredSecretStopsVerifyingItsTokens() {
        TokenVerifier afterRotation = new TokenVerifier(
                TokenSecrets.of(Optional.empty(), Optional.of(List.of("2027-01:" + NEW))),
                Optional.empty(),
                SKEW,
                clock);
        assertEquals(Reason.TOKEN_INVALID, refusal(afterRotation, token(OLD, "2026-12", null)));
        assertEquals(Reason.TOKEN_INVALID, refusal(afterRotation, token(Tokens.SECRET, null, null)));
        assertEquals(
                Optional.of("ann"),
                afterRotation.verify(token(NEW, "2027-01", null)).subject());
    }

    @Test
    void aRequiredAudienceMustBeInTheTokensAud() {
        TokenVerifier verifier = verifier(Optional.of("event-hub"));
        assertEquals(
                Optional.of("ann"),
                verifier.verify(token(NEW, "2027-01", "event-hub")).subject());
        assertEquals(
                Optional.of("ann"),
                verifier.verify(token(NEW, "2027-01", List.of("billing", "event-hub")))
                        .subject());
        for (Object aud : new Object[] {null, "billing", List.of("billing"), List.of(), 42, "Event-Hub"}) {
            NotAuthenticatedException refused =
                    assertThrows(NotAuthenticatedException.class, () -> verifier.verify(token(NEW, "2027-01", aud)));
            assertEquals(Reason.TOKEN_INVALID, refused.reason(), String.valueOf(aud));
        }
    }

    @Test
    void withoutARequiredAudienceAudIsNotChecked() {
        assertEquals(
                Optional.of("ann"),
                verifier(Optional.empty())
                        .verify(token(NEW, "2027-01", "billing"))
                        .subject());
    }

    @Test
    void malformedShortOrRepeatedNamedSecretsAreRefusedAtStartUpWithoutQuotingThem() {
        List<String> problems = TokenSecrets.problems(
                Optional.empty(),
                Optional.of(List.of("no-colon-" + OLD, "a b:" + OLD, "k1:short", "k2:" + OLD, "k2:" + NEW)));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains(OLD) || p.contains("short")), problems.toString());
        assertTrue(problems.get(3).contains("\"k2\" twice"), problems.get(3));
        assertTrue(TokenSecrets.problems(Optional.empty(), Optional.of(List.of("k:" + NEW)))
                .isEmpty());
    }
}
