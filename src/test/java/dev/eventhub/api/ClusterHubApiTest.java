package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The HTTP API contract with the hub on a local 3-master Redis Cluster. */
@QuarkusTest
@TestProfile(ClusterProfile.class)
class ClusterHubApiTest extends HubApiContract {}
