package dev.eventhub.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets subscriber tokens may be signed with: one without a name ({@code realtime.token-secret},
 * for tokens with no {@code kid}) and any number named by a kid ({@code realtime.token-secrets},
 * {@code kid:secret,...}). A token is verified with exactly the secret its header names, never
 * with each in turn, so adding a secret costs nothing per token and a refused kid says so at once.
 */
public final class TokenSecrets {

    static final int MIN_SECRET_BYTES = 32;
    static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec unnamed;
    private final Map<String, SecretKeySpec> named;

    private TokenSecrets(SecretKeySpec unnamed, Map<String, SecretKeySpec> named) {
        this.unnamed = unnamed;
        this.named = Map.copyOf(named);
    }

    /** No secret: every token is refused. */
    public static TokenSecrets none() {
        return new TokenSecrets(null, Map.of());
    }

    /** Only the unnamed secret (null or empty for none). */
    public static TokenSecrets of(String secret) {
        return of(Optional.ofNullable(secret), Optional.empty());
    }

    /**
     * @throws IllegalArgumentException for a malformed, short or repeated entry, naming the setting;
     *         {@link #problems} reports the same at start-up
     */
    public static TokenSecrets of(Optional<String> secret, Optional<List<String>> keyed) {
        List<String> problems = problems(secret, keyed);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, SecretKeySpec> named = new LinkedHashMap<>();
        for (String entry : entries(keyed)) {
            int colon = entry.indexOf(':');
            named.put(entry.substring(0, colon), key(entry.substring(colon + 1)));
        }
        return new TokenSecrets(
                secret.filter(s -> !s.isEmpty()).map(TokenSecrets::key).orElse(null), named);
    }

    /** Everything wrong with the two settings; empty when they can be used. Never quotes a secret. */
    public static List<String> problems(Optional<String> secret, Optional<List<String>> keyed) {
        List<String> problems = new ArrayList<>();
        secret.filter(s -> !s.isEmpty())
                .filter(TokenSecrets::tooShort)
                .ifPresent(s -> problems.add("realtime.token-secret must be at least " + MIN_SECRET_BYTES
                        + " bytes (for example the output of `openssl rand -base64 32`)"));
        List<String> kids = new ArrayList<>();
        int position = 0;
        for (String entry : entries(keyed)) {
            position++;
            int colon = entry.indexOf(':');
            String kid = colon < 0 ? "" : entry.substring(0, colon);
            if (!KID.matcher(kid).matches()) {
                problems.add("realtime.token-secrets entry " + position + " must be kid:secret with a kid of 1 to 64 "
                        + "letters, digits, '-', '_' or '.'");
            } else if (kids.contains(kid)) {
                problems.add("realtime.token-secrets names kid \"" + kid + "\" twice");
            } else if (tooShort(entry.substring(colon + 1))) {
                problems.add("realtime.token-secrets: the secret of kid \"" + kid + "\" must be at least "
                        + MIN_SECRET_BYTES + " bytes");
            }
            kids.add(kid);
        }
        return problems;
    }

    public boolean any() {
        return unnamed != null || !named.isEmpty();
    }

    /** The kids configured, for the start-up log. */
    public List<String> kids() {
        return List.copyOf(named.keySet());
    }

    /** The secret for a token whose header has {@code kid} (null: none), or null when there is none. */
    SecretKeySpec forKid(String kid) {
        return kid == null ? unnamed : named.get(kid);
    }

    private static List<String> entries(Optional<List<String>> keyed) {
        return keyed.orElse(List.of()).stream()
                .map(String::trim)
                .filter(e -> !e.isEmpty())
                .toList();
    }

    private static boolean tooShort(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES;
    }

    private static SecretKeySpec key(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }
}
