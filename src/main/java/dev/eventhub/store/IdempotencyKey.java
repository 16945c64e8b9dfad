package dev.eventhub.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A publish's {@code Idempotency-Key} as a store sees it: the key (validated by the API) and a
 * digest of the request body the app sent (SHA-256, hex), so that a retry is told apart from
 * another event sent under the same key. The digest is of the app's bytes, not of the stored
 * JSON, which carries the hub's timestamp.
 */
public record IdempotencyKey(String key, String bodyDigest) {

    public static IdempotencyKey of(String key, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new IdempotencyKey(key, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
