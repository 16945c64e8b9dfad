package dev.eventhub.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Subscriber tokens as the app's server makes them (HS256 JWTs), plus broken ones. */
public final class Tokens {

    /** Configured as {@code realtime.token-secret} by the secure test profiles. */
    public static final String SECRET = "test-token-secret-0123456789abcdefghijklmnopqrstuvwxyz";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {}

    /** A valid token granting {@code topics} until {@code exp}, for viewer {@code sub} (null for none). */
    public static String grant(Instant exp, String sub, String... topics) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (sub != null) {
            claims.put("sub", sub);
        }
        claims.put("topics", List.of(topics));
        claims.put("exp", exp.getEpochSecond());
        return sign(SECRET, Map.of("alg", "HS256", "typ", "JWT"), claims);
    }

    public static String sign(String secret, Map<String, ?> header, Map<String, ?> claims) {
        return signRaw(secret, json(header), json(claims));
    }

    /** Signs exactly the given header and payload text, for malformed-JSON cases. */
    public static String signRaw(String secret, String header, String payload) {
        String input = encode(header) + "." + encode(payload);
        return input + "." + B64.encodeToString(hmac(secret, input));
    }

    public static String encode(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hmac(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
