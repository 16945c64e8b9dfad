package dev.eventhub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings that depend on each other: one set alone moves the other; only two contradicting ones fail. */
class SettingConflictsTest {

    private record Settings(HubConfig hub, PresenceConfig presence) {
        List<String> problems() {
            return SettingConflicts.of(hub, presence);
        }
    }

    private static Settings fromEnvironment(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(HubConfig.class)
                .withMapping(PresenceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return new Settings(config.getConfigMapping(HubConfig.class), config.getConfigMapping(PresenceConfig.class));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Settings settings = fromEnvironment(Map.of());
        assertEquals(Duration.ofSeconds(60), settings.presence().ttl());
        assertEquals(Duration.ofSeconds(20), settings.presence().refreshInterval());
        assertEquals(Duration.ofHours(1), settings.hub().history().ttl());
        assertEquals(Duration.ofHours(24), settings.hub().history().headTtl());
        assertEquals(Duration.ofSeconds(1), settings.hub().pollInterval());
        assertEquals(Duration.ofSeconds(30), settings.hub().pollMaxInterval());
        assertEquals(List.of(), settings.problems());
    }

    @Test
    void aPresenceTtlSetAloneBringsTheRefreshIntervalDownToAThirdOfIt() {
        Settings settings = fromEnvironment(Map.of("REALTIME_PRESENCE_TTL", "3s"));
        assertEquals(Duration.ofSeconds(3), settings.presence().ttl());
        assertEquals(Duration.ofSeconds(1), settings.presence().refreshInterval());
        assertEquals(List.of(), settings.problems());
    }

    @Test
    void aRefreshIntervalSetAloneMakesTheTtlThreeTimesIt() {
        Settings settings = fromEnvironment(Map.of("REALTIME_PRESENCE_REFRESH_INTERVAL", "90s"));
        assertEquals(Duration.ofSeconds(270), settings.presence().ttl());
        assertEquals(List.of(), settings.problems());
    }

    @Test
    void aHistoryTtlOrHeadTtlSetAloneMovesTheOther() {
        Settings longLog = fromEnvironment(Map.of("REALTIME_HISTORY_TTL", "48h"));
        assertEquals(Duration.ofHours(48), longLog.hub().history().headTtl());
        assertEquals(List.of(), longLog.problems());
        Settings shortHead = fromEnvironment(Map.of("REALTIME_HISTORY_HEAD_TTL", "10m"));
        assertEquals(Duration.ofMinutes(10), shortHead.hub().history().ttl());
        assertEquals(List.of(), shortHead.problems());
    }

    @Test
    void aPollIntervalOrMaxIntervalSetAloneMovesTheOther() {
        Settings slow = fromEnvironment(Map.of("REALTIME_POLL_INTERVAL", "45s"));
        assertEquals(Duration.ofSeconds(45), slow.hub().pollMaxInterval());
        assertEquals(List.of(), slow.problems());
        Settings quick = fromEnvironment(Map.of("REALTIME_POLL_MAX_INTERVAL", "500ms"));
        assertEquals(Duration.ofMillis(500), quick.hub().pollInterval());
        assertEquals(List.of(), quick.problems());
    }

    @Test
    void onlyTwoExplicitSettingsThatContradictEachOtherFailAndTheMessageNamesBoth() {
        Settings settings = fromEnvironment(Map.of(
                "REALTIME_PRESENCE_TTL", "3s",
                "REALTIME_PRESENCE_REFRESH_INTERVAL", "5s",
                "REALTIME_HISTORY_TTL", "2h",
                "REALTIME_HISTORY_HEAD_TTL", "1h",
                "REALTIME_POLL_INTERVAL", "2s",
                "REALTIME_POLL_MAX_INTERVAL", "1s"));
        List<String> problems = settings.problems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("realtime.history.head-ttl (PT1H)")
                        && problems.get(0).contains("realtime.history.ttl (PT2H)"),
                problems.get(0));
        assertTrue(
                problems.get(1).contains("realtime.poll-max-interval (PT1S)")
                        && problems.get(1).contains("realtime.poll-interval (PT2S)"),
                problems.get(1));
        assertTrue(
                problems.get(2).contains("realtime.presence.refresh-interval (PT5S)")
                        && problems.get(2).contains("realtime.presence.ttl (PT3S)"),
                problems.get(2));
        IllegalStateException refused = assertThrows(
                IllegalStateException.class, () -> SettingConflicts.check(settings.hub(), settings.presence()));
        assertTrue(refused.getMessage().contains("realtime.presence.ttl"), refused.getMessage());
    }

    @Test
    void aTtlTooShortToDivideIsRefusedNamingTheTtl() {
        List<String> problems =
                fromEnvironment(Map.of("REALTIME_PRESENCE_TTL", "2ms")).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("realtime.presence.ttl"), problems.get(0));
    }
}
