package dev.eventhub.security;

import dev.eventhub.security.NotAuthenticatedException.Reason;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Only holders of a publish key write: publishing and presence writes need
 * {@code Authorization: Bearer <key>} (401 otherwise), and each key is held to its rate (429).
 *
 * <p>The check runs before routing, on the path, so a refused request costs no routing and no
 * body read, and paths whose resources do not exist yet are covered from the start. It runs again
 * after routing on every resource marked {@link RequiresPublishKey}, unless it already passed.
 */
public class PublisherFilter {

    private static final String CHECKED = PublisherFilter.class.getName() + ".checked";

    /** Resolved per use: filters are built before config mappings are ready. */
    @Inject
    Instance<PublishKeys> keys;

    @Inject
    Instance<PublishRateLimiter> limiter;

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public void beforeRouting(ContainerRequestContext request, HttpServerRequest http) {
        // The raw path, decoded leniently by WritePaths: UriInfo.getPath() decodes the already
        // decoded path a second time and throws on input such as %25%89.
        if (WritePaths.needKey(request.getMethod(), http.path())) {
            authenticate(request);
        }
    }

    @RequiresPublishKey
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void afterRouting(ContainerRequestContext request) {
        if (request.getProperty(CHECKED) == null) {
            authenticate(request);
        }
    }

    private void authenticate(ContainerRequestContext request) {
        String key = Bearer.credential(request.getHeaderString("Authorization"));
        if (key == null) {
            throw new NotAuthenticatedException(
                    Reason.PUBLISH_KEY_MISSING, "Publishing needs a publish key: send Authorization: Bearer <key>.");
        }
        int index = keys.get().indexOf(key);
        if (index < 0) {
            throw new NotAuthenticatedException(Reason.PUBLISH_KEY_INVALID, "The publish key is not valid.");
        }
        request.setProperty(CHECKED, Boolean.TRUE);
        limiter.get().acquire(index);
    }
}
