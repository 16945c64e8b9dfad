package dev.eventhub.security;

/** The roles a request's {@code SecurityIdentity} can have. */
public final class Roles {

    /**
     * Holds a publish key: the app's server. Every write (publish, presence PUT and DELETE) is
     * {@code @RolesAllowed(PUBLISHER)}; it also reads any topic.
     */
    public static final String PUBLISHER = "publisher";

    private Roles() {}
}
