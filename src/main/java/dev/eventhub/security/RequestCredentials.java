package dev.eventhub.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * What the current request proves about its sender, read once per request: a publish key as its
 * bearer credential, or a subscriber token, taken from the first of {@code Authorization: Bearer},
 * the {@code token} query parameter (what {@code EventSource} can send) and the
 * {@code realtime_token} cookie.
 *
 * <p>Presence uses {@link #viewerId()}: when it is present, it is the viewer, and a {@code viewer}
 * query parameter is ignored, so nobody can appear as someone else.
 */
@RequestScoped
public class RequestCredentials {

    public static final String TOKEN_PARAMETER = "token";
    public static final String TOKEN_COOKIE = "realtime_token";

    @Inject
    HttpServerRequest request;

    /** Decided by {@link PublishKeyMechanism}: a publish key as bearer credential makes it a publisher. */
    @Inject
    SecurityIdentity identity;

    @Inject
    TokenVerifier verifier;

    private boolean resolved;
    private boolean publisher;
    private SubscriberToken token;
    private NotAuthenticatedException refusal;

    /** Whether the request's bearer credential is a publish key (the app's server: it may read anything). */
    public boolean publisher() {
        resolve();
        return publisher;
    }

    /**
     * The verified subscriber token, or empty when the request sent none.
     *
     * @throws NotAuthenticatedException when it sent one that is invalid or expired: a token is never
     *         silently ignored
     */
    public Optional<SubscriberToken> token() {
        resolve();
        if (refusal != null) {
            throw refusal;
        }
        return Optional.ofNullable(token);
    }

    /**
     * The verified viewer id: the {@code sub} of the request's token. Empty when the request has no
     * token or a token without {@code sub}; then the caller may fall back to an unverified viewer.
     *
     * @throws NotAuthenticatedException when a token was sent and refused, so a bad token can never
     *         fall back to a viewer of the client's choosing
     */
    public Optional<String> viewerId() {
        return token().flatMap(SubscriberToken::subject);
    }

    private void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        if (identity.hasRole(Roles.PUBLISHER)) {
            publisher = true;
            return;
        }
        String bearer = Bearer.credential(request.getHeader("Authorization"));
        String presented = bearer != null ? bearer : nonEmpty(request.getParam(TOKEN_PARAMETER));
        if (presented == null) {
            Cookie cookie = request.getCookie(TOKEN_COOKIE);
            presented = cookie == null ? null : nonEmpty(cookie.getValue());
        }
        if (presented == null) {
            return;
        }
        try {
            token = verifier.verify(presented);
        } catch (NotAuthenticatedException e) {
            refusal = e;
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
