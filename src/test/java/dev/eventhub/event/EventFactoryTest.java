package dev.eventhub.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored JSON is the app's own text on one line, with the hub's four fields appended. */
class EventFactoryTest {

    private static final Topic TOPIC = new Topic(EntityType.TRIP, "123", Channel.COMMENTS);
    private static final String SUFFIX =
            ",\"entityType\":\"trip\",\"entityId\":\"123\",\"channel\":\"comments\",\"timestamp\":\"2026-01-01T00:00:00Z\"}";

    private final EventFactory factory = new EventFactory(new ObjectMapper(), new MutableClock());

    private String create(String body) {
        return factory.create(TOPIC, body.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidEventException refused(String body) {
        return assertThrows(InvalidEventException.class, () -> create(body));
    }

    @Test
    void numbersStringsAndKeyOrderArriveExactlyAsSent() {
        String body = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\",\"text\":\"x\",\"at\":1796155162366.125,"
                + "\"n\":1e3,\"d\":0.1000000000000000000000000000000001}}";
        assertEquals(body.substring(0, body.length() - 1) + SUFFIX, create(body));
    }

    @Test
    void escapesAndUnicodeInStringsAreKeptCharacterForCharacter() {
        String body =
                "{\"z\":\"a\\u00e9\\/\\\"b\\\\\",\"action\":\"new_comment\",\"comment\":{\"id\":-0,\"t\":\"é 😀\"},"
                        + "\"big\":123456789012345678901234567890,\"e\":-1.5E-7,\"l\":[true,false,null]}";
        assertEquals(body.substring(0, body.length() - 1) + SUFFIX, create(body));
    }

    @Test
    void prettyPrintedInputBecomesOneLineWithItsStringsUntouched() {
        String body = "\uFEFF{\n  \"action\" : \"new_comment\",\r\n\t\"comment\": {\n    \"id\": \"c 1\",\n"
                + "    \"text\": \"two  spaces\\nand a line\"\n  },\n  \"list\": [ 1 , 2.50 ]\n}\n";
        assertEquals(
                "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c 1\",\"text\":\"two  spaces\\nand a line\"},"
                        + "\"list\":[1,2.50]" + SUFFIX,
                create(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"entityType", "entityId", "channel", "timestamp"})
    void aKeyTheHubAddsIsRefusedByName(String key) {
        InvalidEventException e = refused("{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"" + key + "\":\"x\"}");
        assertEquals(InvalidEventException.Kind.RESERVED_FIELD, e.kind());
        assertEquals(true, e.getMessage().startsWith("\"" + key + "\""), e.getMessage());
    }

    @Test
    void reservedNamesInsideNestedObjectsAreTheAppsOwn() {
        String body = "{\"action\":\"new_comment\",\"comment\":{\"id\":1,\"channel\":\"tv\",\"timestamp\":5}}";
        assertEquals(body.substring(0, body.length() - 1) + SUFFIX, create(body));
    }

    @Test
    void aRepeatedKeyIsMalformedSoTheActionCheckedIsTheOneBrowsersSee() {
        assertEquals(
                InvalidEventException.Kind.MALFORMED,
                refused("{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"action\":\"comment_deleted\"}")
                        .kind());
        assertEquals(
                InvalidEventException.Kind.MALFORMED,
                refused("{\"action\":\"new_comment\",\"comment\":{\"id\":1,\"id\":2}}")
                        .kind());
    }

    @Test
    void theValidationRulesAndTheirOrderAreUnchanged() {
        assertEquals(
                InvalidEventException.Kind.MALFORMED, refused("{\"action\":").kind());
        assertEquals(InvalidEventException.Kind.MALFORMED, refused("[1]").kind());
        assertEquals(InvalidEventException.Kind.MALFORMED, refused("{} {}").kind());
        assertEquals(
                InvalidEventException.Kind.MALFORMED,
                refused("{\"action\":\"x\"} 1").kind());
        assertEquals(InvalidEventException.Kind.MALFORMED, refused("").kind());
        assertEquals(
                InvalidEventException.Kind.MALFORMED,
                refused("{\"a\":1,/*c*/\"b\":2}").kind());
        assertEquals(
                InvalidEventException.Kind.MALFORMED,
                refused("{'action':'new_comment'}").kind());
        assertEquals(
                InvalidEventException.Kind.MISSING_ACTION,
                refused("{\"action\":7,\"entityId\":1}").kind());
        assertEquals(
                InvalidEventException.Kind.MISSING_ACTION,
                refused("{\"action\":\"\"}").kind());
        assertEquals(
                InvalidEventException.Kind.ACTION_NOT_ALLOWED,
                refused("{\"action\":\"liked\",\"channel\":1}").kind());
        assertEquals(
                InvalidEventException.Kind.INVALID_FIELD,
                refused("{\"comment\":{\"text\":\"no id\"},\"action\":\"new_comment\",\"timestamp\":1}")
                        .kind());
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        byte[] latin1 =
                "{\"action\":\"new_comment\",\"comment\":{\"id\":\"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> factory.create(TOPIC, latin1));
        assertEquals(InvalidEventException.Kind.MALFORMED, e.kind());
    }

    @Test
    void requiredFieldsAreFoundWhateverTheirPlaceInTheBody() {
        Topic likes = new Topic(EntityType.TRIP, "123", Channel.LIKES);
        String body = "{\"count\":3,\"x\":{\"count\":-1},\"userId\":\"u1\",\"action\":\"liked\"}";
        String stored = factory.create(likes, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(body.substring(0, body.length() - 1), stored.substring(0, body.length() - 1));
    }
}
