package dev.eventhub.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The query parameters of a presence stream: {@code viewer} (absent: only watch) and the viewer's
 * display data, {@code name} and {@code avatarUrl}.
 */
public class PresenceStreamParams {

    @RestQuery
    public String viewer;

    @RestQuery
    public String name;

    @RestQuery
    public String avatarUrl;

    /** The display data given, in a stable order; absent parameters are left out. */
    public Map<String, String> display() {
        Map<String, String> display = new LinkedHashMap<>();
        display.put("name", name);
        display.put("avatarUrl", avatarUrl);
        return display;
    }
}
