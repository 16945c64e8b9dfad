package dev.eventhub.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The keys that may publish. Only their SHA-256 digests are kept, and a presented key is compared
 * with {@link MessageDigest#isEqual} against the digest of every key, all of them every time: the
 * time taken depends neither on how much of a key matched nor on its length, nor on which key it was.
 */
public final class PublishKeys {

    private static final int GENERATED_KEY_BYTES = 32;

    private final List<byte[]> digests;
    private final String generated;

    private PublishKeys(List<byte[]> digests, String generated) {
        this.digests = digests;
        this.generated = generated;
    }

    /** The configured keys, blanks ignored, or a fresh random key when there is none. */
    public static PublishKeys fromConfig(Optional<List<String>> configured) {
        List<byte[]> digests = new ArrayList<>();
        for (String key : configured.orElse(List.of())) {
            if (key != null && !key.isBlank()) {
                digests.add(digest(key.trim()));
            }
        }
        if (!digests.isEmpty()) {
            return new PublishKeys(List.copyOf(digests), null);
        }
        byte[] random = new byte[GENERATED_KEY_BYTES];
        RandomSource.secure().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new PublishKeys(List.of(digest(key)), key);
    }

    /**
     * The position of {@code presented} among the keys (its rate-limit bucket), or -1 when it is none
     * of them.
     */
    public int indexOf(String presented) {
        if (presented == null) {
            return -1;
        }
        byte[] candidate = digest(presented);
        int found = -1;
        for (int i = 0; i < digests.size(); i++) {
            // No early exit: every key is compared, so timing does not tell which one matched.
            if (MessageDigest.isEqual(digests.get(i), candidate)) {
                found = i;
            }
        }
        return found;
    }

    public int size() {
        return digests.size();
    }

    /** The key generated because none was configured; empty when keys are configured. */
    public Optional<String> generatedKey() {
        return Optional.ofNullable(generated);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
