package dev.eventhub.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential to be checked against the publish keys (it may as well be a subscriber token). */
final class PublishKeyRequest extends BaseAuthenticationRequest {

    private final String credential;

    PublishKeyRequest(String credential) {
        this.credential = credential;
    }

    String credential() {
        return credential;
    }
}
