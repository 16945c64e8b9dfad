package dev.eventhub.security;

/**
 * The request lacks a credential it needs, or the one it sent is not valid: 401 with
 * {@code WWW-Authenticate: Bearer}. The message never names or hints at a configured key.
 */
public class NotAuthenticatedException extends RuntimeException {

    /** The {@code WWW-Authenticate} challenge of every 401 (RFC 6750). */
    public static final String CHALLENGE = "Bearer realm=\"event-hub\"";

    /** What was wrong; it picks the problem type, and whether the client should fetch a new token. */
    public enum Reason {
        /** A publish or presence write with no {@code Authorization: Bearer} header. */
        PUBLISH_KEY_MISSING,
        /** A bearer value that is not one of the publish keys. */
        PUBLISH_KEY_INVALID,
        /** A private topic read with no subscriber token. */
        TOKEN_MISSING,
        /** A subscriber token that is malformed, badly signed, or has unusable claims. */
        TOKEN_INVALID,
        /** A well-signed subscriber token past its {@code exp} (plus the allowed clock skew). */
        TOKEN_EXPIRED;

        /** Whether the client sent something that was refused (RFC 6750's {@code invalid_token}). */
        public boolean credentialRefused() {
            return this != PUBLISH_KEY_MISSING && this != TOKEN_MISSING;
        }
    }

    private final Reason reason;

    public NotAuthenticatedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
