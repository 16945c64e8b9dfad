package dev.eventhub.store.redis;

import dev.eventhub.topic.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topics this instance wants notifications for and those its current pub/sub connection is
 * subscribed to (or has been asked to be); {@link #take} gives the difference as commands, so any
 * burst of watch/unwatch calls costs one (S)SUBSCRIBE and one (S)UNSUBSCRIBE per slot group.
 * Thread-safe: the fan-out calls watch/unwatch from any event loop.
 */
final class NotifySubscriptions {

    /** Channels per (S)SUBSCRIBE command: bounds one command's size. */
    static final int MAX_CHANNELS_PER_COMMAND = 1000;

    private final RedisKeys keys;
    private final Set<Topic> wanted = new HashSet<>();
    private final Set<Topic> asked = new HashSet<>();

    NotifySubscriptions(RedisKeys keys) {
        this.keys = keys;
    }

    /** The channels to subscribe to and unsubscribe from, each list one command's worth. */
    record Changes(List<List<String>> subscribe, List<List<String>> unsubscribe) {
        boolean isEmpty() {
            return subscribe.isEmpty() && unsubscribe.isEmpty();
        }
    }

    synchronized boolean watch(Topic topic) {
        return wanted.add(topic);
    }

    synchronized boolean unwatch(Topic topic) {
        return wanted.remove(topic);
    }

    synchronized boolean wants(Topic topic) {
        return wanted.contains(topic);
    }

    synchronized int size() {
        return wanted.size();
    }

    /** A new connection is subscribed to nothing. */
    synchronized void reset() {
        asked.clear();
    }

    /**
     * What to send now to make the connection's subscriptions the wanted ones, and records it as
     * sent. {@code bySlot}: one command per hash slot (a cluster routes a shard channel by its slot
     * and refuses several slots in one command).
     */
    synchronized Changes take(boolean bySlot) {
        List<String> add = new ArrayList<>();
        for (Topic topic : wanted) {
            if (asked.add(topic)) {
                add.add(keys.notifyChannel(topic));
            }
        }
        List<String> remove = new ArrayList<>();
        for (var it = asked.iterator(); it.hasNext(); ) {
            Topic topic = it.next();
            if (!wanted.contains(topic)) {
                it.remove();
                remove.add(keys.notifyChannel(topic));
            }
        }
        return new Changes(group(add, bySlot), group(remove, bySlot));
    }

    private static List<List<String>> group(List<String> channels, boolean bySlot) {
        Map<Integer, List<String>> groups = new LinkedHashMap<>();
        for (String channel : channels) {
            groups.computeIfAbsent(bySlot ? HashSlot.of(channel) : 0, slot -> new ArrayList<>())
                    .add(channel);
        }
        List<List<String>> commands = new ArrayList<>();
        for (List<String> group : groups.values()) {
            for (int from = 0; from < group.size(); from += MAX_CHANNELS_PER_COMMAND) {
                commands.add(group.subList(from, Math.min(group.size(), from + MAX_CHANNELS_PER_COMMAND)));
            }
        }
        return commands;
    }
}
