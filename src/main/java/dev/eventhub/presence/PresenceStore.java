package dev.eventhub.presence;

import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;

/**
 * Who is present on an entity, and the events that follow from it. A viewer is present while at
 * least one of its leases is live; a lease belongs to a holder (an instance, for its open streams,
 * or {@link #API} for the HTTP API) and lives for the presence TTL after its last renewal.
 *
 * <p>Every change of who is present is decided and appended to the entity's presence topic
 * ({@code viewer_joined} / {@code viewer_left}, with the new count) in one atomic step per entity,
 * so the log's order is the order of the changes, each change is told exactly once however many
 * instances race for it, and a snapshot taken with the topic's head is exact at that head. Every
 * operation first prunes the entities it touches: a viewer whose leases have all expired leaves
 * then, and is never listed.
 *
 * <p>Two implementations, Redis and memory, pass one contract suite ({@code PresenceStoreContract}).
 * Topics passed in are presence topics ({@code {type}/{id}/presence}). Every method fails with
 * {@link dev.eventhub.store.StoreUnavailableException} when the store cannot be reached.
 */
public interface PresenceStore {

    /** The holder of leases taken through the HTTP API; renewed by the app's next PUT, from any instance. */
    String API = "api";

    /**
     * Takes or renews {@code holder}'s lease on each viewer, and stores its display data; a viewer
     * that was not present joins. Display data of a {@linkplain Viewer#verified() verified} viewer
     * always replaces what is stored, and marks it verified until the viewer leaves; display data of
     * an unverified one is stored only while no verified data is, so an anonymous
     * {@code ?viewer=ann} can neither rename nor re-picture the Ann a token or the app declared. Also prunes {@code alsoPrune}. An instance renews all its leases
     * with one call per refresh interval.
     *
     * @return per lease, in order, whether that viewer joined; the count of every entity touched
     */
    Uni<PresenceUpdate> track(String holder, List<Lease> leases, Collection<Topic> alsoPrune);

    /**
     * Ends {@code holder}'s lease on each viewer (only the viewer's id is used); a viewer whose
     * last live lease that was leaves.
     *
     * @return per lease, in order, whether that viewer left; the count of every entity touched
     */
    Uni<PresenceUpdate> release(String holder, List<Lease> leases);

    /**
     * Prunes the entity, then reads its present viewers (at most the configured limit, latest
     * renewed first), their count and the presence topic's head, at one instant.
     */
    Uni<PresenceSnapshot> snapshot(Topic topic);
}
