package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisPresenceApiTest extends PresenceApiContract {
}
