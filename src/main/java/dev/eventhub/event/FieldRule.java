package dev.eventhub.event;

import com.fasterxml.jackson.databind.JsonNode;

/** What one required field of an action must look like. */
enum FieldRule {
    /** A non-empty string or an integer: ids of users, comments, images. */
    ID("a non-empty string or an integer") {
        @Override
        boolean accepts(JsonNode v) {
            return (v.isTextual() && !v.asText().isBlank()) || v.isIntegralNumber();
        }
    },
    /** An object whose {@code id} is an {@link #ID}. */
    OBJECT_WITH_ID("an object with an \"id\"") {
        @Override
        boolean accepts(JsonNode v) {
            return v.isObject() && v.hasNonNull("id") && ID.accepts(v.get("id"));
        }
    },
    /** A whole number, zero or more. */
    COUNT("an integer of 0 or more") {
        @Override
        boolean accepts(JsonNode v) {
            return v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0;
        }
    },
    /** A rating summary: numeric {@code average} and integer {@code count}. */
    RATING("an object with a numeric \"average\" and an integer \"count\"") {
        @Override
        boolean accepts(JsonNode v) {
            return v.isObject() && v.path("average").isNumber() && COUNT.accepts(v.path("count"));
        }
    };

    private final String description;

    FieldRule(String description) {
        this.description = description;
    }

    abstract boolean accepts(JsonNode value);

    String description() {
        return description;
    }
}
