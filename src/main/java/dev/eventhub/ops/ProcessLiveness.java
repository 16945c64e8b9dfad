package dev.eventhub.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live whenever this answers. It does not look at the store on purpose: during a Redis outage a
 * restart would not help, and it would drop every open stream.
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {

    @Inject
    StreamGauges fanout;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("event-hub")
                .up()
                .withData("openStreams", fanout.openStreams())
                .build();
    }
}
