package dev.eventhub.presence;

import dev.eventhub.topic.Topic;

/** A viewer on an entity's presence topic, as one holder keeps it present. */
public record Lease(Topic topic, Viewer viewer) {}
