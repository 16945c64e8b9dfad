package dev.eventhub.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Turns a bearer credential that is one of the {@link PublishKeys} into a {@link Roles#PUBLISHER}
 * identity; anything else fails. The identity carries the key's position (its rate-limit bucket)
 * as the attribute {@link #KEY_INDEX}, and a principal that names the position, never the key.
 */
@ApplicationScoped
public class PublishKeyIdentityProvider implements IdentityProvider<PublishKeyRequest> {

    /** Attribute of a publisher identity: which configured key it presented (an Integer). */
    public static final String KEY_INDEX = "event-hub.publish-key-index";

    /** Resolved per use: providers are built before config mappings are ready. */
    @Inject
    Instance<PublishKeys> keys;

    @Override
    public Class<PublishKeyRequest> getRequestType() {
        return PublishKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(PublishKeyRequest request, AuthenticationRequestContext context) {
        int index = keys.get().indexOf(request.credential()); // SHA-256 and compares: cheap, no blocking
        if (index < 0) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a publish key"));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("publish-key-" + index))
                        .addRole(Roles.PUBLISHER)
                        .addAttribute(KEY_INDEX, index)
                        .build());
    }
}
