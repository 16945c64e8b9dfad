package dev.eventhub.presence;

import dev.eventhub.topic.Topic;
import java.util.List;
import java.util.Map;

/**
 * What a {@link PresenceStore#track} or {@link PresenceStore#release} changed.
 *
 * @param changed per lease passed in, in order: whether that viewer joined (track) or left (release)
 * @param counts viewers present afterwards on every entity the call touched, pruned ones included
 */
public record PresenceUpdate(List<Boolean> changed, Map<Topic, Integer> counts) {}
