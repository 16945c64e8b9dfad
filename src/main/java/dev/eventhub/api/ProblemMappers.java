package dev.eventhub.api;

import dev.eventhub.config.HubConfig;
import dev.eventhub.event.InvalidEventException;
import dev.eventhub.presence.InvalidViewerException;
import dev.eventhub.store.StoreUnavailableException;
import dev.eventhub.topic.TopicException;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors leave the service: every error is {@code application/problem+json}, bad
 * input is a 4xx, and a 5xx means an outage (503 with {@code Retry-After}) or a bug (500, logged).
 */
public class ProblemMappers {

    /** Resolved per use: filters and mappers are built before config mappings are ready. */
    @Inject
    Instance<HubConfig> config;

    @ServerExceptionMapper
    public Response topic(TopicException e) {
        return switch (e.kind()) {
            case UNKNOWN_TYPE -> Problem.of("unknown-entity-type", "Unknown entity type", 404, e.getMessage()).toResponse();
            case UNKNOWN_CHANNEL -> Problem.of("unknown-channel", "Unknown channel", 404, e.getMessage()).toResponse();
            case INVALID_ID -> Problem.of("invalid-entity-id", "Invalid entity id", 400, e.getMessage()).toResponse();
        };
    }

    @ServerExceptionMapper
    public Response event(InvalidEventException e) {
        return switch (e.kind()) {
            case MALFORMED -> Problem.of("malformed-json", "Malformed JSON body", 400, e.getMessage()).toResponse();
            case MISSING_ACTION -> Problem.of("missing-action", "Missing action", 400, e.getMessage()).toResponse();
            case ACTION_NOT_ALLOWED -> Problem.of("action-not-allowed", "Action not allowed on this channel", 422,
                    e.getMessage()).toResponse();
            case INVALID_FIELD -> Problem.of("invalid-field", "Missing or invalid field", 422, e.getMessage()).toResponse();
        };
    }

    @ServerExceptionMapper
    public Response viewer(InvalidViewerException e) {
        return switch (e.kind()) {
            case INVALID_ID -> Problem.of("invalid-viewer-id", "Invalid viewer id", 400, e.getMessage()).toResponse();
            case DISPLAY_TOO_LARGE -> Problem.of("display-too-large", "Display data too large", 413, e.getMessage())
                    .toResponse();
            case INVALID_DISPLAY -> Problem.of("invalid-display", "Invalid display data", 400, e.getMessage()).toResponse();
        };
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return Problem.of("body-too-large", "Request body too large", 413, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response contentType(UnsupportedContentTypeException e) {
        return Problem.of("unsupported-media-type", "Unsupported content type", 415, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response badQuery(BadQueryException e) {
        return Problem.of("invalid-query", "Invalid query parameter", 400, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailableException e) {
        Log.warnf("Store unavailable: %s", e.getMessage());
        return Response.fromResponse(Problem.of("store-unavailable", "Store unavailable", 503,
                "The event store did not answer; retry shortly.").toResponse())
                .header("Retry-After", config.get().publish().retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of("not-found", "Not found", 404, "No resource at this path.").toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.fromResponse(Problem.of("method-not-allowed", "Method not allowed", 405,
                "This path does not take that method.").toResponse())
                .allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf(e, "Request failed with %d", status);
            return Problem.of("internal-error", "Internal error", 500, "The hub failed; this is a bug.").toResponse();
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.of("http-" + status, reason, status, reason + ".").toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.errorf(e, "Unexpected failure");
        return Problem.of("internal-error", "Internal error", 500, "The hub failed; this is a bug.").toResponse();
    }
}
