package dev.eventhub.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged application as the integration tests start it themselves: the jar
 * ({@code java -jar target/quarkus-app/quarkus-run.jar}), or the native binary when the tests run
 * against it. The switch is Quarkus's own, so {@code @QuarkusIntegrationTest}s and the tests that
 * start the process follow the same run: {@code -Dquarkus.test.integration-test-artifact-type=native}
 * with the binary at {@code native.image.path} (the pom sets {@code target/<name>-runner}).
 */
public final class PackagedApp {

    private PackagedApp() {}

    public static boolean isNative() {
        return "native".equals(System.getProperty("quarkus.test.integration-test-artifact-type"));
    }

    /** The command that starts the packaged hub with these {@code -D} settings. */
    public static List<String> command(String... systemProperties) {
        List<String> command = new ArrayList<>();
        Path artifact;
        if (isNative()) {
            artifact = Path.of(System.getProperty("native.image.path"));
            command.add(artifact.toString());
        } else {
            artifact = Path.of("target", "quarkus-app", "quarkus-run.jar");
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        if (!Files.exists(artifact)) {
            throw new IllegalStateException("package the application first (mvn verify does): no " + artifact);
        }
        command.addAll(List.of(systemProperties));
        if (!isNative()) {
            command.add("-jar");
            command.add(artifact.toString());
        }
        return command;
    }
}
