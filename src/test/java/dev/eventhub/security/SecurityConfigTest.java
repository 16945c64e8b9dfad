package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.config.SecurityConfig;
import dev.eventhub.support.Tokens;
import dev.eventhub.topic.Topic;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The settings as the environment gives them, and the configurations the hub refuses to start with. */
class SecurityConfigTest {

    private static SecurityConfig fromEnvironment(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SecurityConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's: "30s" as well as ISO-8601
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(SecurityConfig.class);
    }

    @Test
    void theDocumentedEnvironmentVariablesSetTheSettings() {
        SecurityConfig config = fromEnvironment(Map.of(
                "REALTIME_PUBLISH_KEYS", "key-one-aaaaaaaaaaaaaaaaaaaa,key-two-bbbbbbbbbbbbbbbbbbbb",
                "REALTIME_PRIVATE_TYPES", "blog,post",
                "REALTIME_TOKEN_SECRET", Tokens.SECRET,
                "REALTIME_REQUIRE_TOKEN", "true",
                "REALTIME_TOKEN_CLOCK_SKEW", "5s",
                "REALTIME_PUBLISH_RATE", "50",
                "REALTIME_PUBLISH_BURST", "60",
                "REALTIME_STREAM_MAX_OPEN", "900",
                "REALTIME_STREAM_FULL_RETRY_AFTER", "7s"));
        assertEquals(
                Optional.of(List.of("key-one-aaaaaaaaaaaaaaaaaaaa", "key-two-bbbbbbbbbbbbbbbbbbbb")),
                config.publishKeys());
        assertEquals(Optional.of(List.of("blog", "post")), config.privateTypes());
        assertEquals(Optional.of(Tokens.SECRET), config.tokenSecret());
        assertTrue(config.requireToken());
        assertEquals(Duration.ofSeconds(5), config.tokenClockSkew());
        assertEquals(50.0, config.publish().rate());
        assertEquals(60, config.publish().burst());
        assertEquals(900, config.stream().maxOpen());
        assertEquals(Duration.ofSeconds(7), config.stream().fullRetryAfter());
        assertEquals(List.of(), SecurityBeans.problems(config));
    }

    @Test
    void theDefaultsAreSafeAndUsable() {
        SecurityConfig config = fromEnvironment(Map.of());
        assertEquals(Optional.empty(), config.publishKeys(), "no key: one is generated at start-up");
        assertEquals(200.0, config.publish().rate());
        assertEquals(400, config.publish().burst());
        assertEquals(16000, config.stream().maxOpen());
        assertEquals(Duration.ofSeconds(30), config.tokenClockSkew());
        assertEquals(List.of(), SecurityBeans.problems(config));
        assertTrue(!TopicPolicy.of(config.privateTypes(), config.requireToken())
                .isPrivate(Topic.parse("blog", "1", "likes")));
    }

    @Test
    void privateTopicsWithoutATokenSecretDoNotStart() {
        List<String> problems = SecurityBeans.problems(fromEnvironment(Map.of("REALTIME_PRIVATE_TYPES", "blog")));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("REALTIME_TOKEN_SECRET"), problems.get(0));
        assertEquals(
                1,
                SecurityBeans.problems(fromEnvironment(Map.of("REALTIME_REQUIRE_TOKEN", "true")))
                        .size());
    }

    @Test
    void aShortTokenSecretAnUnknownPrivateTypeAndZeroLimitsDoNotStart() {
        List<String> problems = SecurityBeans.problems(fromEnvironment(Map.of(
                "REALTIME_TOKEN_SECRET", "secret",
                "REALTIME_PRIVATE_TYPES", "blog,car",
                "REALTIME_PUBLISH_RATE", "0",
                "REALTIME_STREAM_MAX_OPEN", "0")));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("\"car\"")), problems.toString());
    }

    @Test
    void privateTypesAndRequireTokenDecideWhichTopicsArePrivate() {
        TopicPolicy blogs = TopicPolicy.of(Optional.of(List.of("blog", " post ")), false);
        assertTrue(blogs.isPrivate(Topic.parse("blog", "1", "comments")));
        assertTrue(blogs.isPrivate(Topic.parse("post", "1", "comments")));
        assertTrue(!blogs.isPrivate(Topic.parse("trip", "1", "comments")));
        assertTrue(TopicPolicy.of(Optional.empty(), true).isPrivate(Topic.parse("trip", "1", "comments")));
    }
}
