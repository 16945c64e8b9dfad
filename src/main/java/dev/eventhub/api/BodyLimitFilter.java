package dev.eventhub.api;

import dev.eventhub.config.HubConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body whose declared length is over the limit before it is read, so a client cannot
 * make the hub buffer a large upload only to be told 413 afterwards. Bodies without a declared
 * length are counted by the resource; {@code quarkus.http.limits.max-body-size} caps them all.
 */
public class BodyLimitFilter {

    /** Resolved per use: filters and mappers are built before config mappings are ready. */
    @Inject
    Instance<HubConfig> config;

    // After routing, so the role check of a write (401 without a publish key) comes first; still
    // before the body is read.
    @ServerRequestFilter
    public Response checkDeclaredLength(ContainerRequestContext request) {
        String declared = request.getHeaderString("Content-Length");
        if (declared == null) {
            return null;
        }
        int limit = config.get().publish().maxBodyBytes();
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Problem.of(
                            "invalid-content-length",
                            "Invalid Content-Length",
                            400,
                            "Content-Length must be a whole number.")
                    .toResponse();
        }
        if (length > limit) {
            return Problem.of(
                            "body-too-large",
                            "Request body too large",
                            413,
                            new PayloadTooLargeException(limit).getMessage())
                    .toResponse();
        }
        return null;
    }
}
