package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(MultiplexProfile.Redis.class)
class RedisMultiplexApiTest extends MultiplexApiContract {

    /** The profile's application outlives this class; its keys are removed here. */
    @org.junit.jupiter.api.AfterAll
    static void removeKeys() {
        dev.eventhub.support.TestRedis.deleteKeys(MultiplexProfile.Redis.PREFIX);
    }
}
