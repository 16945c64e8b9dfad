package dev.eventhub.security;

import java.security.SecureRandom;

/**
 * The one strong random generator of the process, created on first use at run time.
 *
 * <p>A native image must not carry a generator in its heap: every binary would then start from the
 * same seed, and GraalVM refuses such a build ("Detected an instance of Random/SplittableRandom
 * class in the image heap"). Quarkus initialises application classes while it builds the image, so
 * a {@code static final SecureRandom} anywhere else would be frozen into it. This class is the
 * exception: {@code application.properties} has it initialised at run time
 * ({@code --initialize-at-run-time=dev.eventhub.security.RandomSource}), so its generator is made in
 * the running process. Use it instead of a {@code new SecureRandom()} held in a static field.
 */
public final class RandomSource {

    private static final SecureRandom SECURE = new SecureRandom();

    private RandomSource() {}

    /** The process's {@link SecureRandom}; thread-safe. */
    public static SecureRandom secure() {
        return SECURE;
    }
}
