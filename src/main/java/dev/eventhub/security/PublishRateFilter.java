package dev.eventhub.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Holds each publish key to its rate (429 with {@code Retry-After}): every write that reached a
 * resource with a publish key counts once against that key's bucket. Writes are the methods other
 * than GET, HEAD and OPTIONS, and every one of them is {@code @RolesAllowed(Roles.PUBLISHER)}, so
 * only requests with a valid key get here; reads made with a key (history of a private topic) are
 * not counted. It runs after routing and the role check, and before the body is read.
 */
public class PublishRateFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    /** Resolved per use: filters are built before config mappings are ready. */
    @Inject
    Instance<PublishRateLimiter> limiter;

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public void countWrite(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return;
        }
        Integer index = identity.getAttribute(PublishKeyIdentityProvider.KEY_INDEX);
        if (index != null) {
            limiter.get().acquire(index);
        }
    }
}
