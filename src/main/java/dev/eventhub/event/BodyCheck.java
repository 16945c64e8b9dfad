package dev.eventhub.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventhub.topic.Channel;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validates a publish body in one streaming pass: one JSON object with no repeated key, a string
 * {@code action} the channel allows, the fields that action needs, and none of the keys the hub
 * adds itself. Only the top-level values a rule looks at are read into trees; everything else is
 * skipped, and nothing is written back (the stored text is the app's own, see {@link CompactJson}).
 */
final class BodyCheck {

    /** The keys the hub appends to every event; the app may not send them. */
    static final Set<String> RESERVED = Set.of("entityType", "entityId", "channel", "timestamp");

    /**
     * Strict and independent of the application's mapper settings: no comments, no single quotes,
     * no NaN, so that valid here means valid JSON, which {@link CompactJson} relies on. A repeated
     * key is refused: a browser's {@code JSON.parse} keeps the last one, which need not be the
     * {@code action} validated here.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private BodyCheck() {}

    /**
     * @throws InvalidEventException when {@code json} is not such a body; problems are reported in
     *         the order malformed, missing action, action not allowed, invalid field, reserved key
     */
    static void check(Channel channel, String json) {
        Set<String> ruled = ChannelActions.ruledFields(channel);
        Map<String, JsonNode> values = new HashMap<>();
        String action = null;
        String reserved = null;
        try (JsonParser parser = STRICT.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("The body must be a JSON object.");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("action".equals(name) && value == JsonToken.VALUE_STRING) {
                    action = parser.getText();
                } else if (ruled.contains(name)) {
                    values.put(name, parser.readValueAsTree());
                } else {
                    if (reserved == null && RESERVED.contains(name)) {
                        reserved = name;
                    }
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("The body must be one JSON object, with nothing after it.");
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw malformed(
                    message != null && message.startsWith("Duplicate field")
                            ? "The body repeats a key; each key may appear once in an object."
                            : "The body is not valid JSON.");
        } catch (IOException e) {
            throw malformed("The body is not valid JSON.");
        }
        checkAction(channel, action, values);
        if (reserved != null) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.RESERVED_FIELD,
                    "\"" + reserved + "\" is added by the hub to every event; leave it out of the body "
                            + "(reserved: entityType, entityId, channel, timestamp).");
        }
    }

    private static void checkAction(Channel channel, String action, Map<String, JsonNode> values) {
        if (action == null || action.isEmpty()) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.MISSING_ACTION, "The body needs a string \"action\".");
        }
        Map<String, FieldRule> required = ChannelActions.requiredFields(channel, action);
        if (required == null) {
            throw new InvalidEventException(
                    InvalidEventException.Kind.ACTION_NOT_ALLOWED,
                    "Action is not allowed on the " + channel.segment() + " channel; allowed: "
                            + ChannelActions.allowedActions(channel) + ".");
        }
        required.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(field -> {
            JsonNode value = values.get(field.getKey());
            if (value == null || !field.getValue().accepts(value)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.INVALID_FIELD,
                        "Action " + action + " needs \"" + field.getKey() + "\": "
                                + field.getValue().description() + ".");
            }
        });
    }

    private static InvalidEventException malformed(String detail) {
        return new InvalidEventException(InvalidEventException.Kind.MALFORMED, detail);
    }
}
