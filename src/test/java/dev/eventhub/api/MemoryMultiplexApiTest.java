package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(MultiplexProfile.Memory.class)
class MemoryMultiplexApiTest extends MultiplexApiContract {}
