package dev.eventhub.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.security.NotAuthenticatedException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies subscriber tokens: compact JWS (JWT) signed with HMAC-SHA256 by the app, with the JDK's
 * {@link Mac} and Jackson only, so nothing new has to work in a native image.
 *
 * <p>Accepted: header {@code alg} exactly {@code HS256} (so never {@code none}, never another
 * algorithm, whatever the signature says), no {@code crit}; a signature that matches, compared in
 * constant time; a numeric {@code exp} not passed by more than the clock skew; an optional
 * {@code nbf} not ahead by more than the skew; an optional {@code topics} array of
 * {@link TopicPattern}s; an optional {@code sub} of 1 to 128 printable ASCII characters without
 * spaces. Anything else is refused. Reasons for refusal are only detailed once the signature has
 * checked out, so an unsigned probe learns nothing but "invalid".
 */
public final class TokenVerifier {

    /** Longer is refused before any work: a token with 100 long topics is about 2 KiB. */
    static final int MAX_TOKEN_CHARS = 4096;

    static final int MAX_TOPICS = 100;
    static final int MAX_SUBJECT_CHARS = 128;
    /** {@code exp} must be below this many seconds (year 2286) so every duration computed from it fits. */
    private static final double MAX_NUMERIC_DATE = 1e10;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]+");
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final TokenSecrets secrets;
    private final Optional<String> audience;
    private final Duration skew;
    private final Clock clock;
    private final ObjectMapper json;

    /**
     * @param secret the shared secret; null or empty when none is configured, and then every token is
     *        refused
     */
    public TokenVerifier(String secret, Duration skew, Clock clock) {
        this(TokenSecrets.of(secret), Optional.empty(), skew, clock);
    }

    /** @param audience the {@code aud} every token must contain; empty: {@code aud} is not checked */
    public TokenVerifier(TokenSecrets secrets, Optional<String> audience, Duration skew, Clock clock) {
        this.secrets = secrets;
        this.audience = audience;
        this.skew = skew;
        this.clock = clock;
        this.json = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public boolean enabled() {
        return secrets.any();
    }

    /**
     * @return the verified token
     * @throws NotAuthenticatedException with {@link Reason#TOKEN_EXPIRED} for a well-signed token past
     *         its time, else {@link Reason#TOKEN_INVALID}
     */
    public SubscriberToken verify(String token) {
        if (!secrets.any()) {
            throw invalid("This hub accepts no subscriber tokens: it has no token secret configured.");
        }
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw invalid(null);
        }
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (firstDot < 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw invalid(null);
        }
        String headerPart = token.substring(0, firstDot);
        String payloadPart = token.substring(firstDot + 1, secondDot);
        String signaturePart = token.substring(secondDot + 1);
        if (!SEGMENT.matcher(headerPart).matches()
                || !SEGMENT.matcher(payloadPart).matches()
                || !SEGMENT.matcher(signaturePart).matches()) {
            throw invalid(null);
        }
        // The header is read before the signature is checked only to pick the secret its kid names;
        // until the signature checks out every refusal is the same "invalid", whatever was wrong.
        SecretKeySpec key = secrets.forKid(kid(headerPart));
        byte[] presented = decode(signaturePart);
        if (key == null
                || presented == null
                || !MessageDigest.isEqual(sign(key, token.substring(0, secondDot)), presented)) {
            throw invalid(null);
        }
        // Signed with our secret: from here on the token is the app's, and details help its developers.
        JsonNode header = object(headerPart, "header");
        if (!"HS256".equals(text(header, "alg"))) {
            throw invalid("The token's alg must be HS256.");
        }
        if (header.has("crit")) {
            throw invalid("The token has a crit header, which this hub does not understand.");
        }
        JsonNode claims = object(payloadPart, "payload");
        Instant now = clock.instant();
        Instant expires = numericDate(claims, "exp").orElseThrow(() -> invalid("The token needs a numeric exp claim."));
        Instant acceptedUntil = expires.plus(skew);
        if (!now.isBefore(acceptedUntil)) {
            throw new NotAuthenticatedException(
                    Reason.TOKEN_EXPIRED, "The subscriber token has expired; fetch a new one.");
        }
        Optional<Instant> notBefore = numericDate(claims, "nbf");
        if (notBefore.isPresent() && now.isBefore(notBefore.get().minus(skew))) {
            throw invalid("The token is not valid yet (nbf).");
        }
        audience.ifPresent(required -> {
            if (!audiences(claims).contains(required)) {
                throw invalid("The token's aud must name this hub's audience (realtime.token-audience).");
            }
        });
        return new SubscriberToken(topics(claims), subject(claims), acceptedUntil);
    }

    /** The header's {@code kid}, or null for none; an unusable header gives a kid no secret has. */
    private String kid(String headerPart) {
        byte[] bytes = decode(headerPart);
        try {
            JsonNode header = bytes == null ? null : json.readTree(bytes);
            if (header == null || !header.isObject()) {
                return "";
            }
            JsonNode kid = header.get("kid");
            return kid == null ? null : kid.isTextual() ? kid.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.get("aud");
        if (aud == null) {
            return List.of();
        }
        if (aud.isTextual()) {
            return List.of(aud.asText());
        }
        if (aud.isArray() && aud.size() <= MAX_TOPICS) {
            List<String> out = new ArrayList<>(aud.size());
            aud.forEach(entry -> out.add(entry.isTextual() ? entry.asText() : ""));
            return out;
        }
        throw invalid("The token's aud must be a string or an array of strings.");
    }

    private static byte[] sign(SecretKeySpec key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per verification, cheap next to the I/O
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] decode(String segment) {
        try {
            return BASE64URL.decode(segment);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private JsonNode object(String segment, String what) {
        byte[] bytes = decode(segment);
        if (bytes == null) {
            throw invalid("The token's " + what + " is not base64url.");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            throw invalid("The token's " + what + " is not a JSON object.");
        }
        if (node == null || !node.isObject()) {
            throw invalid("The token's " + what + " is not a JSON object.");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private Optional<Instant> numericDate(JsonNode claims, String claim) {
        JsonNode value = claims.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw invalid("The token's " + claim + " must be a number of seconds since the epoch.");
        }
        double seconds = value.asDouble();
        if (!(seconds > 0 && seconds < MAX_NUMERIC_DATE)) {
            throw invalid("The token's " + claim + " is out of range.");
        }
        long whole = (long) seconds;
        return Optional.of(Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9)));
    }

    private List<TopicPattern> topics(JsonNode claims) {
        JsonNode value = claims.get("topics");
        if (value == null) {
            return List.of();
        }
        if (!value.isArray() || value.size() > MAX_TOPICS) {
            throw invalid("The token's topics must be an array of at most " + MAX_TOPICS + " topics.");
        }
        List<TopicPattern> patterns = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode entry = value.get(i);
            int index = i;
            TopicPattern pattern = (entry.isTextual()
                            ? TopicPattern.parse(entry.asText())
                            : Optional.<TopicPattern>empty())
                    .orElseThrow(
                            () -> invalid("The token's topics[" + index + "] is not a topic such as trip/123/comments "
                                    + "or a pattern with * for whole segments such as trip/123/*."));
            patterns.add(pattern);
        }
        return List.copyOf(patterns);
    }

    private Optional<String> subject(JsonNode claims) {
        JsonNode value = claims.get("sub");
        if (value == null) {
            return Optional.empty();
        }
        String sub = value.isTextual() ? value.asText() : "";
        if (sub.length() > MAX_SUBJECT_CHARS || !PRINTABLE.matcher(sub).matches()) {
            throw invalid("The token's sub must be 1 to " + MAX_SUBJECT_CHARS
                    + " printable ASCII characters without spaces.");
        }
        return Optional.of(sub);
    }

    private static NotAuthenticatedException invalid(String detail) {
        return new NotAuthenticatedException(
                Reason.TOKEN_INVALID, detail == null ? "The subscriber token is not valid." : detail);
    }
}
