package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.util.Set;

/** Redis snapshots that never fail the run: without Redis the Redis figures are just absent. */
final class RedisProbe {
    final RespClient resp;

    RedisProbe(Opts o) {
        RespClient r = null;
        try {
            r = new RespClient(o.redisHost, o.redisPort);
            r.call("PING");
        } catch (IOException e) {
            log("Redis at %s:%d not reachable (%s): no Redis figures", o.redisHost, o.redisPort, e.getMessage());
            r = null;
        }
        resp = r;
    }

    RedisSnap snap() {
        if (resp == null) {
            return null;
        }
        try {
            return resp.snap();
        } catch (IOException e) {
            log("INFO failed: %s", e.getMessage());
            return null;
        }
    }

    static RedisDelta delta(RedisSnap a, RedisSnap b, Set<String> own, Set<String> scriptOnly) {
        return a == null || b == null ? null : RedisDelta.of(a, b, own, scriptOnly);
    }
}
