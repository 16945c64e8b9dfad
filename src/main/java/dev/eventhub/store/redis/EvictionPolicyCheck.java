package dev.eventhub.store.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * At start-up, reads Redis's {@code maxmemory-policy} and warns when it can evict the hub's keys:
 * every policy but {@code noeviction} can, since the volatile ones evict keys with a TTL and every
 * key of the hub has one. An evicted head or log costs live streams a resync, and events that were
 * not read yet are lost. {@code CONFIG GET} first; managed Redis often refuses {@code CONFIG}, so
 * then {@code INFO memory}'s {@code maxmemory_policy}. Each call is bounded by the store timeout;
 * nothing here stops the start.
 */
public final class EvictionPolicyCheck {

    /** Its own category, so an operator (or a test) can find these lines. */
    private static final Logger LOG = Logger.getLogger(EvictionPolicyCheck.class);

    private static final String SAFE = "noeviction";

    private final RedisEventStore store;

    public EvictionPolicyCheck(RedisEventStore store) {
        this.store = store;
    }

    /** Reads the policy and logs what it means; completes (never fails) once it has. */
    public Uni<Void> run() {
        return fromConfig()
                .onFailure()
                .recoverWithUni(refused -> {
                    LOG.infof(
                            "Could not read Redis's maxmemory-policy with CONFIG GET (%s); reading INFO memory",
                            refused.getMessage());
                    return fromInfo();
                })
                .invoke(this::report)
                .onFailure()
                .invoke(failure -> LOG.infof(
                        "Could not check Redis's maxmemory-policy (%s): make sure it is noeviction, or evicted "
                                + "keys cost streams a resync (docs/deployment.md)",
                        failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private void report(String policy) {
        if (SAFE.equals(policy)) {
            LOG.infof("Redis maxmemory-policy is %s: the hub's keys are never evicted", policy);
        } else {
            LOG.warnf(
                    "Redis maxmemory-policy is %s: when Redis reaches maxmemory it may evict the hub's keys (each "
                            + "has a TTL), and then streams on those topics get a resync instead of the events they "
                            + "missed; set maxmemory-policy to noeviction (docs/deployment.md)",
                    policy);
        }
    }

    private Uni<String> fromConfig() {
        return store.send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"))
                .map(reply -> configValue(reply)
                        .orElseThrow(() -> new IllegalStateException("CONFIG GET answered no maxmemory-policy")));
    }

    private Uni<String> fromInfo() {
        return store.send(Request.cmd(Command.INFO).arg("memory"))
                .map(reply -> infoField(reply == null ? "" : reply.toString(), "maxmemory_policy")
                        .orElseThrow(() -> new IllegalStateException("INFO memory has no maxmemory_policy")));
    }

    /** {@code CONFIG GET}'s reply: a map (RESP3) or a flat name, value array (RESP2). */
    static Optional<String> configValue(Response reply) {
        if (reply == null || reply.type() != ResponseType.MULTI || reply.size() == 0) {
            return Optional.empty();
        }
        if (reply.getKeys().contains("maxmemory-policy")) {
            return Optional.of(reply.get("maxmemory-policy").toString());
        }
        return reply.size() >= 2 ? Optional.of(reply.get(1).toString()) : Optional.empty();
    }

    /** A {@code field:value} line of an INFO section. */
    static Optional<String> infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return Optional.of(line.substring(field.length() + 1).trim());
            }
        }
        return Optional.empty();
    }
}
