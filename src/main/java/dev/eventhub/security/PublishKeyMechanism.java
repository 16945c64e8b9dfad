package dev.eventhub.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Publish keys as Quarkus Security sees them: {@code Authorization: Bearer <publish key>} makes the
 * request's identity a {@link Roles#PUBLISHER}; any other request is anonymous. Write resources are
 * {@code @RolesAllowed(Roles.PUBLISHER)}, so authorisation is decided on the matched resource
 * method, whatever spelling of the path reached it.
 *
 * <p>A bearer value that is not a publish key is not a failure here: reads take subscriber tokens
 * in the same header ({@link RequestCredentials} verifies those), and public reads need nothing.
 * So this never answers by itself; a write by an anonymous identity is refused by the
 * {@code @RolesAllowed} check and leaves as problem+json from {@code api/ProblemMappers} (401
 * {@code publish-key-required} or {@code invalid-publish-key}, with {@code WWW-Authenticate}).
 */
@ApplicationScoped
public class PublishKeyMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String credential = Bearer.credential(context.request().getHeader("Authorization"));
        if (credential == null) {
            return Uni.createFrom().nullItem();
        }
        return identities
                .authenticate(new PublishKeyRequest(credential))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", NotAuthenticatedException.CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(PublishKeyRequest.class);
    }
}
