package dev.eventhub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The pages the hub serves itself: {@code /realtime.js} (always) and the {@code /demo} page (only
 * when enabled). Every key is also an environment variable ({@code realtime.demo} is
 * {@code REALTIME_DEMO}); the README's configuration table lists them.
 */
@ConfigMapping(prefix = "realtime")
public interface WebConfig {

    /**
     * Serves the demo page at {@code /demo} and its publish endpoint, which publishes on the
     * demo's own topics ({@code trip/demo} and {@code trip/demo-*}) WITHOUT a publish key. For trying
     * the hub out, never for production. Defaults to false: then both answer 404.
     */
    @WithDefault("false")
    boolean demo();

    /**
     * Publishes per second that the demo's endpoint accepts from everyone together, on average (burst
     * twice this); beyond it 429. Defaults to 20.
     */
    @WithName("demo-publish-rate")
    @WithDefault("20")
    int demoPublishRate();
}
