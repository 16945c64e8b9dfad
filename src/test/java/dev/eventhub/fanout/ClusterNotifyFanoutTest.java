package dev.eventhub.fanout;

/** The fan-out contract with pub/sub notifications, on a local 3-master Redis Cluster. */
class ClusterNotifyFanoutTest extends RedisNotifyFanoutTest {

    @Override
    protected boolean cluster() {
        return true;
    }
}
