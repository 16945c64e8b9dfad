package dev.eventhub.api;

import dev.eventhub.config.HubConfig;
import dev.eventhub.event.InvalidEventException;
import dev.eventhub.presence.InvalidViewerException;
import dev.eventhub.security.NotAuthenticatedException;
import dev.eventhub.security.NotAuthenticatedException.Reason;
import dev.eventhub.security.RateLimitedException;
import dev.eventhub.security.TooManyStreamsException;
import dev.eventhub.security.TopicNotGrantedException;
import dev.eventhub.store.StoreFullException;
import dev.eventhub.store.StoreUnavailableException;
import dev.eventhub.topic.TopicException;
import io.quarkus.logging.Log;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors leave the service: every error is {@code application/problem+json}, bad
 * input is a 4xx, and a 5xx means an outage or a full instance (503 with {@code Retry-After}) or a
 * bug (500, logged).
 */
public class ProblemMappers {

    /** Resolved per use: filters and mappers are built before config mappings are ready. */
    @Inject
    Instance<HubConfig> config;

    @ServerExceptionMapper
    public Response topic(TopicException e) {
        return switch (e.kind()) {
            case UNKNOWN_TYPE ->
                Problem.of("unknown-entity-type", "Unknown entity type", 404, e.getMessage())
                        .toResponse();
            case UNKNOWN_CHANNEL ->
                Problem.of("unknown-channel", "Unknown channel", 404, e.getMessage())
                        .toResponse();
            case INVALID_ID ->
                Problem.of("invalid-entity-id", "Invalid entity id", 400, e.getMessage())
                        .toResponse();
        };
    }

    @ServerExceptionMapper
    public Response event(InvalidEventException e) {
        return switch (e.kind()) {
            case MALFORMED ->
                Problem.of("malformed-json", "Malformed JSON body", 400, e.getMessage())
                        .toResponse();
            case MISSING_ACTION ->
                Problem.of("missing-action", "Missing action", 400, e.getMessage())
                        .toResponse();
            case ACTION_NOT_ALLOWED ->
                Problem.of("action-not-allowed", "Action not allowed on this channel", 422, e.getMessage())
                        .toResponse();
            case INVALID_FIELD ->
                Problem.of("invalid-field", "Missing or invalid field", 422, e.getMessage())
                        .toResponse();
            case RESERVED_FIELD ->
                Problem.of("reserved-field", "Field reserved by the hub", 422, e.getMessage())
                        .toResponse();
        };
    }

    @ServerExceptionMapper
    public Response idempotencyKey(IdempotencyKeyException e) {
        return switch (e.kind()) {
            case INVALID ->
                Problem.of("invalid-idempotency-key", "Invalid Idempotency-Key", 400, e.getMessage())
                        .toResponse();
            case REUSED ->
                Problem.of("idempotency-key-reused", "Idempotency-Key reused", 422, e.getMessage())
                        .toResponse();
        };
    }

    @ServerExceptionMapper
    public Response viewer(InvalidViewerException e) {
        return switch (e.kind()) {
            case INVALID_ID ->
                Problem.of("invalid-viewer-id", "Invalid viewer id", 400, e.getMessage())
                        .toResponse();
            case DISPLAY_TOO_LARGE ->
                Problem.of("display-too-large", "Display data too large", 413, e.getMessage())
                        .toResponse();
            case INVALID_DISPLAY ->
                Problem.of("invalid-display", "Invalid display data", 400, e.getMessage())
                        .toResponse();
        };
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return Problem.of("body-too-large", "Request body too large", 413, e.getMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response contentType(UnsupportedContentTypeException e) {
        return Problem.of("unsupported-media-type", "Unsupported content type", 415, e.getMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response badQuery(BadQueryException e) {
        return Problem.of("invalid-query", "Invalid query parameter", 400, e.getMessage())
                .toResponse();
    }

    /**
     * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750), {@code error="invalid_token"} when a
     * credential was sent and refused. The detail says what kind of credential is needed, never
     * anything about the configured keys.
     */
    @ServerExceptionMapper
    public Response notAuthenticated(NotAuthenticatedException e) {
        Problem problem = switch (e.reason()) {
            case PUBLISH_KEY_MISSING -> Problem.of("publish-key-required", "Publish key required", 401, e.getMessage());
            case PUBLISH_KEY_INVALID -> Problem.of("invalid-publish-key", "Invalid publish key", 401, e.getMessage());
            case TOKEN_MISSING -> Problem.of("token-required", "Subscriber token required", 401, e.getMessage());
            case TOKEN_INVALID -> Problem.of("invalid-token", "Invalid subscriber token", 401, e.getMessage());
            case TOKEN_EXPIRED -> Problem.of("token-expired", "Subscriber token expired", 401, e.getMessage());
        };
        String challenge = NotAuthenticatedException.CHALLENGE
                + (e.reason().credentialRefused() ? ", error=\"invalid_token\"" : "");
        return Response.fromResponse(problem.toResponse())
                .header("WWW-Authenticate", challenge)
                .build();
    }

    /**
     * A write ({@code @RolesAllowed(Roles.PUBLISHER)}) by a request whose identity is not a
     * publisher: no bearer credential at all, or one that is no publish key. The same 401 as every
     * other, from {@link #notAuthenticated}.
     */
    @ServerExceptionMapper
    public Response notPublisher(UnauthorizedException e, HttpHeaders headers) {
        boolean sent = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        return notAuthenticated(
                sent
                        ? new NotAuthenticatedException(Reason.PUBLISH_KEY_INVALID, "The publish key is not valid.")
                        : new NotAuthenticatedException(
                                Reason.PUBLISH_KEY_MISSING,
                                "Publishing needs a publish key: send Authorization: Bearer <key>."));
    }

    /** An authenticated identity without the role a resource needs (none today: the only role is publisher). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of("forbidden", "Forbidden", 403, "This credential may not do that.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notGranted(TopicNotGrantedException e) {
        return Problem.of("topic-not-granted", "Topic not granted", 403, e.getMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return retryLater(Problem.of("rate-limited", "Too many publishes", 429, e.getMessage()), e.retryAfterSeconds());
    }

    /** 503 with a jittered {@code Retry-After}: clients turned away together do not come back together. */
    @ServerExceptionMapper
    public Response full(TooManyStreamsException e) {
        return retryLater(
                Problem.of("too-many-streams", "Too many open streams", 503, e.getMessage()), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        Log.warnf("Store unavailable: %s", e.getMessage());
        return retryLater(
                Problem.of(
                        "store-unavailable",
                        "Store unavailable",
                        503,
                        "The event store did not answer; retry shortly."),
                config.get().publish().retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response storeFull(StoreFullException e) {
        Log.warnf("Refused a write to a new topic: %s", e.getMessage());
        return retryLater(
                Problem.of(
                        "store-full",
                        "Too many topics",
                        503,
                        "This instance holds as many topics as it may and none has expired yet; retry later."),
                e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response draining(DrainingException e) {
        return retryLater(Problem.of("draining", "Shutting down", 503, e.getMessage()), 1);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of("not-found", "Not found", 404, "No resource at this path.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.fromResponse(Problem.of(
                                "method-not-allowed", "Method not allowed", 405, "This path does not take that method.")
                        .toResponse())
                .allow(e.getResponse().getAllowedMethods())
                .build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf(e, "Request failed with %d", status);
            return Problem.of("internal-error", "Internal error", 500, "The hub failed; this is a bug.")
                    .toResponse();
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.of("http-" + status, reason, status, reason + ".").toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.errorf(e, "Unexpected failure");
        return Problem.of("internal-error", "Internal error", 500, "The hub failed; this is a bug.")
                .toResponse();
    }

    /** A problem with {@code Retry-After}: when the client may try again, in seconds. */
    private static Response retryLater(Problem problem, long seconds) {
        return Response.fromResponse(problem.toResponse())
                .header("Retry-After", seconds)
                .build();
    }
}
