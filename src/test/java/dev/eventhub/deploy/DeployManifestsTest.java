package dev.eventhub.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks the deployment files at the top of the repository without any cluster: every YAML
 * document parses (duplicate keys rejected), carries what its platform requires, and the
 * documents of {@code deploy/kubernetes.yaml} refer to each other consistently.
 */
class DeployManifestsTest {

    private static final Path KNATIVE = Path.of("deploy/knative-service.yaml");
    private static final Path KUBERNETES = Path.of("deploy/kubernetes.yaml");
    private static final List<Path> DOCKERFILES =
            List.of(Path.of("Dockerfile.native"), Path.of("Dockerfile.native-micro"));

    private static final String READY = "/q/health/ready";
    private static final String LIVE = "/q/health/live";
    /** The hub's default for realtime.shutdown.drain, used when the manifest does not set it. */
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(20);

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    // ---- Knative / Cloud Run ----

    @Test
    void knativeServiceHasTheFieldsServingRequires() throws IOException {
        List<JsonNode> docs = documents(KNATIVE);
        assertEquals(1, docs.size(), "knative-service.yaml holds exactly one document");
        JsonNode service = docs.get(0);
        assertEquals("serving.knative.dev/v1", text(service, "/apiVersion"));
        assertEquals("Service", text(service, "/kind"));
        assertFalse(text(service, "/metadata/name").isBlank(), "metadata.name");
        JsonNode containers = service.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container: Cloud Run and Knative route to a single serving container");
        assertFalse(text(containers.get(0), "/image").isBlank(), "containers[0].image");
    }

    @Test
    void knativeServiceAllowsLongLivedStreams() throws IOException {
        JsonNode service = documents(KNATIVE).get(0);
        JsonNode spec = service.at("/spec/template/spec");
        int concurrency = integer(spec, "/containerConcurrency");
        assertTrue(
                concurrency >= 500 && concurrency <= 1000,
                "containerConcurrency " + concurrency + " must be high (each stream holds a request) and at most 1000");
        int timeout = integer(spec, "/timeoutSeconds");
        assertTrue(
                timeout >= 3000 && timeout <= 3600,
                "timeoutSeconds " + timeout + " must outlast realtime.stream.max-lifetime (50m) and not exceed 3600");

        JsonNode annotations = service.at("/spec/template/metadata/annotations");
        assertEquals("concurrency", text(annotations, "/autoscaling.knative.dev~1metric"));
        int target = Integer.parseInt(text(annotations, "/autoscaling.knative.dev~1target"));
        assertTrue(
                target > 0 && target <= concurrency, "autoscaling target " + target + " within containerConcurrency");
        assertEquals("0", text(annotations, "/autoscaling.knative.dev~1min-scale"));
        int maxScale = Integer.parseInt(text(annotations, "/autoscaling.knative.dev~1max-scale"));
        assertTrue(maxScale >= 1, "max-scale at least 1");
    }

    @Test
    void knativeServiceKeepsCpuAllocatedBetweenRequestsOnCloudRun() throws IOException {
        JsonNode annotations = documents(KNATIVE).get(0).at("/spec/template/metadata/annotations");
        assertEquals("false", text(annotations, "/run.googleapis.com~1cpu-throttling"));
    }

    @Test
    void knativeProbesPointAtQuarkusHealthEndpoints() throws IOException {
        JsonNode container = documents(KNATIVE).get(0).at("/spec/template/spec/containers/0");
        assertEquals(READY, text(container, "/readinessProbe/httpGet/path"));
        assertEquals(LIVE, text(container, "/livenessProbe/httpGet/path"));
    }

    @Test
    void knativeContainerListensOnPort8080AndLeavesPortToThePlatform() throws IOException {
        JsonNode container = documents(KNATIVE).get(0).at("/spec/template/spec/containers/0");
        JsonNode ports = container.path("ports");
        assertEquals(1, ports.size(), "exactly one port");
        assertEquals(8080, integer(ports.get(0), "/containerPort"));
        String name = ports.get(0).path("name").asText("");
        assertTrue(
                name.isEmpty() || name.equals("http1") || name.equals("h2c"),
                "port name must be http1 or h2c, was " + name);
        for (JsonNode env : container.path("env")) {
            assertFalse("PORT".equals(env.path("name").asText()), "PORT is set by the platform and reserved");
        }
    }

    @Test
    void knativeServiceReadsItsSecretsFromTheEventHubSecret() throws IOException {
        JsonNode container = documents(KNATIVE).get(0).at("/spec/template/spec/containers/0");
        assertSecretRef(container, "REDIS_URL", "event-hub", "redis-url");
        assertSecretRef(container, "REALTIME_PUBLISH_KEYS", "event-hub", "publish-keys");
        assertSecretRef(container, "REALTIME_TOKEN_SECRET", "event-hub", "token-secret");
    }

    // ---- Kubernetes ----

    @Test
    void everyKubernetesDocumentHasApiVersionKindAndName() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        assertFalse(docs.isEmpty(), "kubernetes.yaml has documents");
        for (int i = 0; i < docs.size(); i++) {
            JsonNode doc = docs.get(i);
            for (String field : List.of("/apiVersion", "/kind", "/metadata/name")) {
                assertFalse(text(doc, field).isBlank(), "document " + i + " lacks " + field);
            }
        }
    }

    @Test
    void kubernetesFileHoldsOneOfEachResource() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        Map<String, String> expected = Map.of(
                "Secret", "v1",
                "Deployment", "apps/v1",
                "Service", "v1",
                "PodDisruptionBudget", "policy/v1",
                "HorizontalPodAutoscaler", "autoscaling/v2");
        assertEquals(expected.size(), docs.size(), "one document per resource");
        expected.forEach((kind, apiVersion) -> assertEquals(apiVersion, text(only(docs, kind), "/apiVersion"), kind));
    }

    @Test
    void deploymentSelectorMatchesItsPodTemplateLabels() throws IOException {
        JsonNode deployment = only(documents(KUBERNETES), "Deployment");
        JsonNode selector = deployment.at("/spec/selector/matchLabels");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertTrue(selector.isObject() && selector.size() > 0, "selector.matchLabels is set");
        assertEquals(selector, labels, "selector.matchLabels equals the pod template's labels");
    }

    @Test
    void deploymentRunsTwoReplicasOfTheImage() throws IOException {
        JsonNode deployment = only(documents(KUBERNETES), "Deployment");
        assertEquals(2, integer(deployment, "/spec/replicas"));
        assertFalse(text(deployment, "/spec/template/spec/containers/0/image").isBlank(), "container image");
    }

    @Test
    void deploymentProbesPointAtQuarkusHealthEndpoints() throws IOException {
        JsonNode container = only(documents(KUBERNETES), "Deployment").at("/spec/template/spec/containers/0");
        assertEquals(READY, text(container, "/readinessProbe/httpGet/path"));
        assertEquals(LIVE, text(container, "/livenessProbe/httpGet/path"));
        int port = containerPort(container);
        assertEquals(
                port, resolvePort(container, container.at("/readinessProbe/httpGet/port")), "readiness probe port");
        assertEquals(port, resolvePort(container, container.at("/livenessProbe/httpGet/port")), "liveness probe port");
    }

    @Test
    void deploymentReadsItsSecretsFromTheSecretInTheSameFile() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        JsonNode secret = only(docs, "Secret");
        String secretName = text(secret, "/metadata/name");
        JsonNode container = only(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertSecretRef(container, "REDIS_URL", secretName, "redis-url");
        assertSecretRef(container, "REALTIME_PUBLISH_KEYS", secretName, "publish-keys");
        assertSecretRef(container, "REALTIME_TOKEN_SECRET", secretName, "token-secret");
        for (JsonNode env : container.path("env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (ref.isMissingNode()) {
                continue;
            }
            String key = text(ref, "/key");
            assertTrue(
                    secret.path("stringData").has(key) || secret.path("data").has(key),
                    env.path("name").asText() + " refers to key " + key + ", which the Secret does not hold");
        }
    }

    @Test
    void secretHoldsOnlyPlaceholders() throws IOException {
        JsonNode secret = only(documents(KUBERNETES), "Secret");
        assertTrue(secret.path("data").isMissingNode(), "use stringData placeholders, not encoded data");
        JsonNode stringData = secret.path("stringData");
        assertEquals(3, stringData.size(), "redis-url, publish-keys and token-secret");
        stringData
                .properties()
                .forEach(entry -> assertTrue(
                        entry.getValue().asText().contains("REPLACE_ME"),
                        entry.getKey() + " must be a REPLACE_ME placeholder, never a real value"));
    }

    @Test
    void deploymentGraceOutlastsTheDrainWindow() throws IOException {
        JsonNode deployment = only(documents(KUBERNETES), "Deployment");
        int grace = integer(deployment, "/spec/template/spec/terminationGracePeriodSeconds");
        Duration drain = DEFAULT_DRAIN;
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
            if ("REALTIME_SHUTDOWN_DRAIN".equals(env.path("name").asText())) {
                drain = duration(env.path("value").asText());
            }
        }
        assertTrue(
                Duration.ofSeconds(grace).compareTo(drain.plusSeconds(10)) >= 0,
                "terminationGracePeriodSeconds " + grace + " leaves under 10 s after a drain of " + drain);
    }

    @Test
    void deploymentRunsAsNonRootOnAReadOnlyRootFilesystem() throws IOException {
        JsonNode pod = only(documents(KUBERNETES), "Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        boolean nonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false)
                || container.at("/securityContext/runAsNonRoot").asBoolean(false);
        assertTrue(nonRoot, "runAsNonRoot");
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean(false), "readOnlyRootFilesystem");
        assertFalse(
                container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true),
                "allowPrivilegeEscalation false");
        assertTrue(
                container.at("/resources/requests").size() > 0
                        && container.at("/resources/limits").size() > 0,
                "resource requests and limits");
    }

    @Test
    void serviceSelectsTheDeploymentPodsAndTargetsTheContainerPort() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        JsonNode deployment = only(docs, "Deployment");
        JsonNode service = only(docs, "Service");
        assertEquals("ClusterIP", service.at("/spec/type").asText("ClusterIP"));
        assertSelects(service.at("/spec/selector"), deployment.at("/spec/template/metadata/labels"), "Service");
        JsonNode ports = service.at("/spec/ports");
        assertEquals(1, ports.size(), "one service port");
        assertEquals(80, integer(ports.get(0), "/port"));
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals(
                containerPort(container), resolvePort(container, ports.get(0).path("targetPort")), "targetPort");
    }

    @Test
    void podDisruptionBudgetSelectsTheDeploymentPods() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        JsonNode pdb = only(docs, "PodDisruptionBudget");
        assertEquals(1, integer(pdb, "/spec/minAvailable"));
        assertSelects(
                pdb.at("/spec/selector/matchLabels"),
                only(docs, "Deployment").at("/spec/template/metadata/labels"),
                "PodDisruptionBudget");
    }

    @Test
    void autoscalerScalesTheDeploymentOnCpu() throws IOException {
        List<JsonNode> docs = documents(KUBERNETES);
        JsonNode hpa = only(docs, "HorizontalPodAutoscaler");
        JsonNode target = hpa.at("/spec/scaleTargetRef");
        assertEquals("apps/v1", text(target, "/apiVersion"));
        assertEquals("Deployment", text(target, "/kind"));
        assertEquals(text(only(docs, "Deployment"), "/metadata/name"), text(target, "/name"));
        assertEquals(2, integer(hpa, "/spec/minReplicas"));
        assertEquals(10, integer(hpa, "/spec/maxReplicas"));
        JsonNode metric = hpa.at("/spec/metrics/0");
        assertEquals("cpu", text(metric, "/resource/name"));
        assertEquals("Utilization", text(metric, "/resource/target/type"));
        assertEquals(70, integer(metric, "/resource/target/averageUtilization"));
    }

    // ---- both YAML files ----

    @Test
    void labelAnnotationAndEnvValuesAreStrings() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : List.of(KNATIVE, KUBERNETES)) {
            for (JsonNode doc : documents(file)) {
                collectNonStrings(doc, file + " " + text(doc, "/kind"), problems);
            }
        }
        assertTrue(problems.isEmpty(), "Kubernetes accepts only strings here; quote these: " + problems);
    }

    // ---- Dockerfiles ----

    @Test
    void dockerfilesRunAsNonRootUserAndHaveAnEntrypoint() throws IOException {
        for (Path dockerfile : DOCKERFILES) {
            List<String> instructions = instructions(dockerfile);
            String user = null;
            boolean entrypoint = false;
            for (String line : instructions) {
                String keyword = line.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                if (keyword.equals("USER")) {
                    user = line.split("\\s+", 2)[1].trim();
                } else if (keyword.equals("ENTRYPOINT")) {
                    entrypoint = true;
                    assertTrue(
                            line.contains("./application") || line.contains("/work/application"),
                            dockerfile + ": ENTRYPOINT runs the application");
                }
            }
            assertTrue(user != null, dockerfile + " has a USER");
            String uid = user.split(":")[0];
            assertFalse(uid.equals("root") || uid.equals("0"), dockerfile + " must not run as root, USER " + user);
            assertTrue(entrypoint, dockerfile + " has an ENTRYPOINT");
            assertTrue(
                    instructions.stream().anyMatch(l -> l.matches("(?i)EXPOSE\\s+8080.*")),
                    dockerfile + " exposes 8080");
        }
    }

    // ---- helpers ----

    /** Every non-empty document of a multi-document YAML file. */
    private static List<JsonNode> documents(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists (tests run from the project directory)");
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    assertTrue(doc.isObject(), file + ": every document is a mapping");
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found =
                docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertEquals(1, found.size(), "exactly one " + kind);
        return found.get(0);
    }

    private static String text(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        if (!value.isTextual()) {
            fail(pointer + " must be a string, was " + (value.isMissingNode() ? "missing" : value.toString()));
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        if (!value.isInt()) {
            fail(pointer + " must be an integer, was " + (value.isMissingNode() ? "missing" : value.toString()));
        }
        return value.asInt();
    }

    private static void assertSecretRef(JsonNode container, String variable, String secret, String key) {
        for (JsonNode env : container.path("env")) {
            if (variable.equals(env.path("name").asText())) {
                assertTrue(env.path("value").isMissingNode(), variable + " must not carry a literal value");
                assertEquals(secret, text(env, "/valueFrom/secretKeyRef/name"), variable + " secret name");
                assertEquals(key, text(env, "/valueFrom/secretKeyRef/key"), variable + " secret key");
                return;
            }
        }
        fail(variable + " is not set");
    }

    /** The container's single port number. */
    private static int containerPort(JsonNode container) {
        JsonNode ports = container.path("ports");
        assertEquals(1, ports.size(), "the container declares one port");
        return integer(ports.get(0), "/containerPort");
    }

    /** A probe port or Service targetPort, given by number or by the container port's name. */
    private static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        if (port.isTextual()) {
            for (JsonNode declared : container.path("ports")) {
                if (port.asText().equals(declared.path("name").asText())) {
                    return integer(declared, "/containerPort");
                }
            }
            fail("no container port is named " + port.asText());
        }
        return fail("port missing or of the wrong type: " + port);
    }

    /** A selector matches pods when every one of its labels is on the pod with the same value. */
    private static void assertSelects(JsonNode selector, JsonNode podLabels, String what) {
        assertTrue(selector.isObject() && selector.size() > 0, what + " has a selector");
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            assertEquals(
                    label.getValue(),
                    podLabels.path(label.getKey()),
                    what + " selector label " + label.getKey() + " is not on the Deployment's pods");
        }
    }

    /** Records labels, annotations, env values and Secret data that YAML parsed as non-strings. */
    private static void collectNonStrings(JsonNode node, String where, List<String> problems) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (Set.of("labels", "annotations", "matchLabels", "selector", "stringData")
                                .contains(name)
                        && value.isObject()) {
                    value.properties().forEach(e -> {
                        if (!e.getValue().isTextual() && !e.getValue().isObject()) {
                            problems.add(where + " " + name + "." + e.getKey() + "=" + e.getValue());
                        }
                    });
                }
                if (name.equals("env") && value.isArray()) {
                    for (JsonNode env : value) {
                        if (env.has("value") && !env.get("value").isTextual()) {
                            problems.add(where + " env " + env.path("name").asText() + "=" + env.get("value"));
                        }
                    }
                }
                collectNonStrings(value, where, problems);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectNonStrings(item, where, problems);
            }
        }
    }

    /** Dockerfile instructions with comments dropped and continuation lines joined. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " exists");
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line)
                    .append(' ');
            if (!continues) {
                result.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** A Quarkus duration as written in env: {@code 20s}, {@code 500ms}, {@code 1m}, or ISO-8601 {@code PT20S}. */
    private static Duration duration(String value) {
        Matcher m = SIMPLE_DURATION.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(value.trim());
    }
}
