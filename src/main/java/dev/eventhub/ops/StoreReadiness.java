package dev.eventhub.ops;

import dev.eventhub.store.EventStore;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the store answers and the instance is not draining: a load balancer then stops
 * sending new streams during a Redis outage or a shutdown, and sends them again after.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    EventStore store;

    @Inject
    StreamGauges fanout;

    @Override
    public Uni<HealthCheckResponse> call() {
        if (fanout.draining()) {
            return Uni.createFrom()
                    .item(HealthCheckResponse.named("event-store")
                            .down()
                            .withData("draining", true)
                            .build());
        }
        return store.ping()
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(ok -> HealthCheckResponse.named("event-store")
                        .up()
                        .withData("store", store.describe())
                        .build())
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named("event-store")
                        .down()
                        .withData("store", store.describe())
                        .build());
    }
}
