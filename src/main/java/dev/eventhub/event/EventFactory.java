package dev.eventhub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventhub.topic.Topic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * Turns a publish body into the JSON subscribers receive: the app's own text, with the whitespace
 * between tokens removed so it is one line, and {@code entityType}, {@code entityId},
 * {@code channel} and an ISO-8601 {@code timestamp} appended, so the app's
 * {@code const { action, comment } = JSON.parse(e.data)} keeps working. The app's values are never
 * re-encoded: numbers ({@code 1e3}, {@code 1796155162366.125}), strings and key order arrive as
 * they were sent. The body is read once, by a streaming parser that validates it
 * ({@link BodyCheck}); nothing is parsed into a whole tree and written back.
 */
public final class EventFactory {

    private final ObjectMapper mapper;
    private final Clock clock;

    public EventFactory(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Validates {@code body} for {@code topic}'s channel and returns the one-line JSON to store.
     *
     * @throws InvalidEventException when the body is not UTF-8 JSON, not one object, repeats a key,
     *         lacks an allowed action or the fields that action needs, or holds a key the hub adds
     */
    public String create(Topic topic, byte[] body) {
        String json = utf8(body);
        BodyCheck.check(topic.channel(), json);
        StringBuilder event = CompactJson.of(json);
        event.setLength(event.length() - 1); // the object's closing brace; it is not empty (action)
        return event.append(",\"entityType\":\"")
                .append(topic.type().segment())
                .append("\",\"entityId\":\"")
                .append(topic.id())
                .append("\",\"channel\":\"")
                .append(topic.channel().segment())
                .append("\",\"timestamp\":\"")
                .append(Instant.now(clock))
                .append("\"}")
                .toString();
    }

    /** The body as text; JSON between systems is UTF-8 (RFC 8259), and a leading BOM is dropped. */
    private static String utf8(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidEventException(InvalidEventException.Kind.MALFORMED, "The body is not UTF-8 text.");
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
