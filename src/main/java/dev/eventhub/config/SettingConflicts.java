package dev.eventhub.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings that depend on each other derive each other when only one is set (see the default
 * methods of {@link HubConfig} and {@link PresenceConfig}), so only a contradiction between two
 * settings that were both given can remain: this finds those, naming both keys and their values.
 */
public final class SettingConflicts {

    private SettingConflicts() {}

    /** Everything contradictory in the settings; empty when they fit together. */
    public static List<String> of(HubConfig hub, PresenceConfig presence) {
        List<String> problems = new ArrayList<>();
        HubConfig.History history = hub.history();
        if (history.headTtl().compareTo(history.ttl()) < 0) {
            problems.add(conflict(
                    "realtime.history.head-ttl", history.headTtl(), "at least", "realtime.history.ttl", history.ttl()));
        }
        if (hub.pollMaxInterval().compareTo(hub.pollInterval()) < 0) {
            problems.add(conflict(
                    "realtime.poll-max-interval",
                    hub.pollMaxInterval(),
                    "at least",
                    "realtime.poll-interval",
                    hub.pollInterval()));
        }
        if (presence.refreshInterval().compareTo(presence.ttl()) >= 0) {
            problems.add(conflict(
                    "realtime.presence.refresh-interval",
                    presence.refreshInterval(),
                    "shorter than",
                    "realtime.presence.ttl",
                    presence.ttl()));
        } else if (presence.refreshInterval().toMillis() < 1) {
            problems.add("realtime.presence.refresh-interval (" + presence.refreshInterval()
                    + ") must be at least 1 ms; unless set it is a third of realtime.presence.ttl ("
                    + presence.ttl() + ")");
        }
        return problems;
    }

    /** Fails the start with every contradiction at once. */
    public static void check(HubConfig hub, PresenceConfig presence) {
        List<String> problems = of(hub, presence);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Contradictory settings: " + String.join("; ", problems));
        }
    }

    private static String conflict(String key, Duration value, String relation, String other, Duration otherValue) {
        return key + " (" + value + ") must be " + relation + " " + other + " (" + otherValue
                + "); set only one of them and the other follows it";
    }
}
