package dev.eventhub.security;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class or method that writes, so it needs a publish key. The path check before
 * routing already covers {@code /api/publish/**} and writes under {@code /api/presence/**}; this
 * binds the same check to the matched resource itself, so a path spelling that the router accepts
 * and the path check did not foresee still cannot reach a write unauthenticated.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresPublishKey {}
