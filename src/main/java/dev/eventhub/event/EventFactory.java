package dev.eventhub.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventhub.topic.Topic;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a publish body into the JSON subscribers receive: the body as it came (fields the hub does
 * not know pass through untouched) plus {@code entityType}, {@code entityId}, {@code channel} and an
 * ISO-8601 {@code timestamp}, so the app's {@code const { action, comment } = JSON.parse(e.data)}
 * keeps working.
 */
public final class EventFactory {

    private final ObjectMapper mapper;
    private final Clock clock;

    public EventFactory(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Validates {@code body} for {@code topic}'s channel and returns the compact JSON to store.
     *
     * @throws InvalidEventException when the body is not a JSON object with an allowed action and
     *         the fields that action needs
     */
    public String create(Topic topic, byte[] body) {
        ObjectNode event = parseObject(body);
        JsonNode action = event.get("action");
        if (action == null || !action.isTextual() || action.asText().isEmpty()) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.MISSING_ACTION, "The body needs a string \"action\".");
        }
        Map<String, FieldRule> required = ChannelActions.requiredFields(topic.channel(), action.asText());
        if (required == null) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.ACTION_NOT_ALLOWED,
                    "Action is not allowed on the " + topic.channel().segment() + " channel; allowed: "
                            + ChannelActions.allowedActions(topic.channel()) + ".");
        }
        required.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(field -> {
            JsonNode value = event.get(field.getKey());
            if (value == null || !field.getValue().accepts(value)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.INVALID_FIELD,
                        "Action " + action.asText() + " needs \"" + field.getKey() + "\": "
                                + field.getValue().description() + ".");
            }
        });
        event.put("entityType", topic.type().segment());
        event.put("entityId", topic.id());
        event.put("channel", topic.channel().segment());
        event.put("timestamp", Instant.now(clock).toString());
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("re-encoding a parsed event failed", e);
        }
    }

    /**
     * Parses a body that must be one JSON object (presence display data too).
     *
     * @throws InvalidEventException ({@code MALFORMED}) when it is not JSON, or not an object
     */
    public ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException(InvalidEventException.Kind.MALFORMED, "The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(InvalidEventException.Kind.MALFORMED, "The body must be a JSON object.");
        }
        return (ObjectNode) node;
    }
}
