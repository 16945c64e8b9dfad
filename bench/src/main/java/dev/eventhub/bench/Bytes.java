package dev.eventhub.bench;

import java.nio.charset.StandardCharsets;

/** Scanning received bytes for the bench's own fields, with no allocation. */
final class Bytes {
    static final byte[] BSEQ = "\"bseq\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BNS = "\"bns\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BT = "\"bt\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESYNC = "\"resync\"".getBytes(StandardCharsets.US_ASCII);
    static final long NOT_FOUND = Long.MIN_VALUE;

    private Bytes() {}

    static int indexOf(byte[] b, int len, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= len; i++) {
            for (int j = 0; j < key.length; j++) {
                if (b[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The integer after {@code key} in {@code b[0..len)}, or {@link #NOT_FOUND}. */
    static long findLong(byte[] b, int len, byte[] key) {
        int i = indexOf(b, len, key);
        if (i < 0) {
            return NOT_FOUND;
        }
        i += key.length;
        while (i < len && b[i] == ' ') {
            i++;
        }
        boolean neg = false;
        if (i < len && b[i] == '-') {
            neg = true;
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < len && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? NOT_FOUND : (neg ? -v : v);
    }
}
