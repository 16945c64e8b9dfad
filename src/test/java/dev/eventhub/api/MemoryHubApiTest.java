package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(MemoryProfile.class)
class MemoryHubApiTest extends HubApiContract {}
