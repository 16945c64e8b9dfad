package dev.eventhub.event;

import dev.eventhub.security.RandomSource;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position of an event in its topic's log: {@code <epoch>-<sequence>}, e.g. {@code k3x9q2ma-17}.
 *
 * <p>The sequence counts the topic's events from 1 without gaps. The epoch names one continuous
 * life of that counter: it changes only when the topic's head record is lost (Redis flushed or
 * failed over, or the topic unused for longer than the head's TTL), so "same epoch, next sequence"
 * proves nothing was missed, and "other epoch" proves the history cannot be trusted.
 *
 * <p>{@link #START} ({@code 0-0}) is the position before the first event of any epoch: a stream
 * that opens on an empty topic is told this id, so it can resume losslessly once events exist.
 */
public record EventId(String epoch, long sequence) implements Comparable<EventId> {

    /** Epochs we generate: 10 characters from [a-z0-9], never the reserved {@code 0}. */
    private static final Pattern WIRE = Pattern.compile("([a-z0-9]{1,16})-([0-9]{1,18})");

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    public static final String NO_EPOCH = "0";
    public static final EventId START = new EventId(NO_EPOCH, 0);

    public static Optional<EventId> parse(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        Matcher m = WIRE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EventId(m.group(1), Long.parseLong(m.group(2))));
    }

    /** A fresh random epoch; the store uses it only if the topic has no head yet. */
    public static String newEpoch() {
        SecureRandom random = RandomSource.secure();
        char[] out = new char[10];
        out[0] = ALPHABET[random.nextInt(26)]; // a letter first: never "0", never all digits
        for (int i = 1; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    public boolean isStart() {
        return NO_EPOCH.equals(epoch);
    }

    public boolean sameEpoch(EventId other) {
        return epoch.equals(other.epoch);
    }

    /** Orders by sequence within one epoch; ids of different epochs are not comparable in time. */
    @Override
    public int compareTo(EventId other) {
        return Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return epoch + "-" + sequence;
    }
}
