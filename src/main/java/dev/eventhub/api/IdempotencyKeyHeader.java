package dev.eventhub.api;

import java.util.List;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} request header (draft-ietf-httpapi-idempotency-key-header): one key
 * of 1 to {@value #MAX_LENGTH} visible ASCII characters (a UUID is typical). The draft's form is a
 * Structured Field string, {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}; the bare form most
 * clients send is the same key. The key becomes part of a Redis key name, so it is bounded here.
 */
final class IdempotencyKeyHeader {

    static final String NAME = "Idempotency-Key";

    /** Sent with a 201 that answers a retry: the event was stored by the first request. */
    static final String REPLAYED = "Idempotent-Replayed";

    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {}

    /**
     * The key of a request's {@code Idempotency-Key} header values; empty when there is none.
     *
     * @throws IdempotencyKeyException ({@code INVALID}) for a value that is not one valid key
     */
    static Optional<String> parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw invalid("Send one Idempotency-Key header, not " + values.size() + ".");
        }
        String key = unquoted(values.get(0).strip());
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid("An Idempotency-Key is 1 to " + MAX_LENGTH + " characters.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw invalid("An Idempotency-Key holds visible ASCII characters only (a UUID is typical).");
            }
        }
        return Optional.of(key);
    }

    /** A Structured Field string's content ({@code \"} and {@code \\} unescaped); other values as they are. */
    private static String unquoted(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                char next = ++i < value.length() - 1 ? value.charAt(i) : 0;
                if (next != '"' && next != '\\') {
                    throw invalid("A quoted Idempotency-Key may escape only \" and \\.");
                }
                c = next;
            } else if (c == '"') {
                throw invalid("A quoted Idempotency-Key must escape its inner quotes.");
            }
            key.append(c);
        }
        return key.toString();
    }

    private static IdempotencyKeyException invalid(String detail) {
        return new IdempotencyKeyException(IdempotencyKeyException.Kind.INVALID, detail);
    }
}
