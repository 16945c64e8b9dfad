package dev.eventhub.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * {@code GET /realtime.js}: the browser client, {@code clients/js/realtime.js} itself (the build
 * copies that one file into the jar as {@code web/realtime.js}; there is no second copy). Pages
 * import it as a module: {@code import { connect } from '/realtime.js'}. The URL has no version, so
 * browsers keep it five minutes and then revalidate it by its ETag.
 */
@Path("/realtime.js")
public class ClientScriptResource {

    static final String RESOURCE = "web/realtime.js";
    static final String CACHE_CONTROL = "public, max-age=300";

    private final StaticAsset script = StaticAsset.load(RESOURCE, "text/javascript; charset=utf-8");

    @GET
    public Response script(@RestHeader("If-None-Match") String ifNoneMatch) {
        return script.serve(ifNoneMatch, CACHE_CONTROL);
    }
}
