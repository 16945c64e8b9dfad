package dev.eventhub.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script shipped as a resource under {@code lua/}, run by its SHA-1 (EVALSHA). */
public record LuaScript(String name, String source, String sha1) {

    public static LuaScript load(String name) {
        return load(name, new String[0]);
    }

    /**
     * Loads {@code lua/<name>.lua} with each of {@code functions} defined before it as
     * {@code local function <f>(KEYS, ARGV)} whose body is {@code lua/<f>.lua} unchanged. A script's
     * body is a valid function body, so another script can call {@code publish({head, log}, args)}
     * and append exactly as a publish does, inside its own atomic step, from one source.
     */
    public static LuaScript load(String name, String... functions) {
        StringBuilder source = new StringBuilder();
        for (String function : functions) {
            source.append("local function ")
                    .append(function)
                    .append("(KEYS, ARGV)\n")
                    .append(read(function))
                    .append("\nend\n");
        }
        source.append(read(name));
        String text = source.toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, text, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
