package dev.eventhub.event;

/**
 * Removes the whitespace between the tokens of JSON text and changes nothing else: every string,
 * number, literal and key keeps its exact characters and its place. Valid JSON holds no raw line
 * break inside a string, so the result is one line, as an SSE {@code data:} field needs.
 */
final class CompactJson {

    private CompactJson() {}

    /** {@code json}, which must be valid JSON, without insignificant whitespace. */
    static StringBuilder of(String json) {
        StringBuilder out = new StringBuilder(json.length() + 128);
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                out.append(c);
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out;
    }
}
