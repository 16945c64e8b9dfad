package dev.eventhub.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Test-only endpoint that picks the viewer the way presence must: the verified {@code sub} when
 * the request has a token, else the {@code viewer} parameter.
 */
@Path("/test/viewer")
public class ViewerProbeResource {

    @Inject
    RequestCredentials credentials;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String viewer(@RestQuery String viewer) {
        return credentials.viewerId().orElse(viewer == null ? "" : viewer);
    }
}
