package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The multiplexed-stream contract with the hub on a local 3-master Redis Cluster. */
@QuarkusTest
@TestProfile(MultiplexProfile.Cluster.class)
class ClusterMultiplexApiTest extends MultiplexApiContract {}
