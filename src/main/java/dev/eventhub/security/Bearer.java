package dev.eventhub.security;

/** Reads the credential of an {@code Authorization: Bearer <credential>} header. */
final class Bearer {

    private static final String SCHEME = "bearer";

    private Bearer() {}

    /** The credential, or null when the header is absent, another scheme, or empty. */
    static String credential(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        String credential = authorization.substring(SCHEME.length() + 1).trim();
        return credential.isEmpty() ? null : credential;
    }
}
