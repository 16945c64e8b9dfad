package dev.eventhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code quarkus.redis.client-type}: standalone and cluster run; Sentinel and replication stop the start. */
class RedisClientTypeTest {

    @Test
    void standaloneAndClusterAreSupported() {
        assertFalse(HubBeans.isCluster("standalone"));
        assertTrue(HubBeans.isCluster("cluster"));
        assertTrue(HubBeans.isCluster("CLUSTER"));
    }

    @Test
    void sentinelAndReplicationAreRefusedNamingTheSetting() {
        for (String refused : new String[] {"sentinel", "replication"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HubBeans.isCluster(refused));
            assertEquals(
                    "quarkus.redis.client-type=" + refused
                            + " is not supported: use standalone (one primary, optionally with replicas) or cluster",
                    e.getMessage());
        }
    }
}
