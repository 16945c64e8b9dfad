package dev.eventhub.security;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Which requests write, and so need a publish key: every request under {@code /api/publish}, and
 * every request under {@code /api/presence} except {@code GET}, {@code HEAD} and {@code OPTIONS}
 * (PUT and DELETE today; any write method added later is covered too).
 *
 * <p>The path is normalised before the check the way a lenient router might read it (percent
 * escapes, repeated slashes, {@code .} and {@code ..} segments, {@code ;matrix} parameters, letter
 * case), so no spelling of a write path slips past; a spelling the router does not route gets 401 instead of
 * 404, which is harmless. The filter also checks again after routing, on the matched resource's
 * own path template, in case a spelling is routed that this normalisation did not foresee.
 */
final class WritePaths {

    private static final String PUBLISH = "/api/publish";
    private static final String PRESENCE = "/api/presence";

    private WritePaths() {}

    static boolean needKey(String method, String path) {
        String normalized = normalize(path);
        if (under(normalized, PUBLISH)) {
            return true;
        }
        return under(normalized, PRESENCE) && !isRead(method);
    }

    private static boolean isRead(String method) {
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method) || "OPTIONS".equalsIgnoreCase(method);
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    static String normalize(String path) {
        if (path == null) {
            return "/";
        }
        int query = path.indexOf('?');
        String raw = decode(query >= 0 ? path.substring(0, query) : path);
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/")) {
            int matrix = segment.indexOf(';');
            String name = (matrix >= 0 ? segment.substring(0, matrix) : segment).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(name);
            }
        }
        return "/" + String.join("/", segments);
    }

    /**
     * Decodes valid {@code %XX} escapes, up to three rounds (so {@code %2570} reads as {@code p} too),
     * and leaves anything else as it is: it never fails, whatever the input.
     */
    private static String decode(String path) {
        String current = path;
        for (int round = 0; round < 3 && current.indexOf('%') >= 0; round++) {
            StringBuilder out = new StringBuilder(current.length());
            for (int i = 0; i < current.length(); i++) {
                char c = current.charAt(i);
                if (c == '%' && i + 2 < current.length()) {
                    int high = Character.digit(current.charAt(i + 1), 16);
                    int low = Character.digit(current.charAt(i + 2), 16);
                    if (high >= 0 && low >= 0) {
                        out.append((char) (high * 16 + low));
                        i += 2;
                        continue;
                    }
                }
                out.append(c);
            }
            if (out.toString().equals(current)) {
                break;
            }
            current = out.toString();
        }
        return current;
    }
}
