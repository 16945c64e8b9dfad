package dev.eventhub.web;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A file the hub serves from its classpath, read once: its bytes, its content type and a strong
 * ETag (a hash of the bytes), so browsers revalidate with {@code If-None-Match} and get 304.
 */
final class StaticAsset {

    private final byte[] bytes;
    private final String contentType;
    private final String etag;

    private StaticAsset(byte[] bytes, String contentType) {
        this.bytes = bytes;
        this.contentType = contentType;
        this.etag = '"' + hash(bytes) + '"';
    }

    /** @throws IllegalStateException when the resource is not on the classpath (a broken build) */
    static StaticAsset load(String resource, String contentType) {
        try (InputStream in = StaticAsset.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource + ": the build did not package it");
            }
            return new StaticAsset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String etag() {
        return etag;
    }

    byte[] bytes() {
        return bytes;
    }

    /** 200 with the bytes, or 304 when {@code If-None-Match} names this version (or {@code *}). */
    Response serve(String ifNoneMatch, String cacheControl) {
        Response.ResponseBuilder response = matches(ifNoneMatch)
                ? Response.notModified()
                : Response.ok(bytes).type(contentType).header("Content-Length", bytes.length);
        return response.tag(EntityTag.valueOf(etag))
                .header("Cache-Control", cacheControl)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        // A list of tags; weak comparison, as RFC 9110 asks for If-None-Match.
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
