package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/** One SSE stream: HTTP response head, chunked decoding and SSE line parsing, byte by byte. */
final class SseStream {
    static final int H_HEADERS = 0;
    static final int H_BODY = 1;
    static final int C_SIZE = 0;
    static final int C_DATA = 1;
    static final int C_DATA_END = 2;
    static final int C_DONE = 3;

    final int index;
    /** The topics this stream reads (one, or several on a multiplexed stream). */
    final int[] topics;

    final SseReaders hub;
    SocketChannel ch;
    ByteBuffer pendingWrite;
    int attempts;
    int httpState = H_HEADERS;
    final StringBuilder head = new StringBuilder();
    boolean chunked;
    int chunkState = C_SIZE;
    long chunkSize;
    boolean sizeDone;
    long chunkRemain;
    byte[] line = new byte[512];
    int lineLen;
    byte[] data = new byte[512];
    int dataLen;
    int dataLines;
    String id;
    boolean live;
    boolean closed;
    boolean inOpening;
    String epoch;
    final BitSet idSeqs = new BitSet();
    /** Per topic of this stream, the sequences seen. */
    final BitSet[] bseqs;

    SseStream(int index, int[] topics, SseReaders hub) {
        this.index = index;
        this.topics = topics;
        this.hub = hub;
        this.bseqs = new BitSet[topics.length];
        for (int k = 0; k < topics.length; k++) {
            bseqs[k] = new BitSet();
        }
    }

    /** Which of this stream's topics {@code t} is, or -1. */
    int slot(long t) {
        if (t == NOT_FOUND && topics.length == 1) {
            return 0;
        }
        for (int k = 0; k < topics.length; k++) {
            if (topics[k] == t) {
                return k;
            }
        }
        return -1;
    }

    /** Consumes {@code n} bytes; returns false when the stream turned out unusable. */
    boolean feed(byte[] b, int off, int n, Recorder rec) {
        int end = off + n;
        int i = off;
        if (httpState == H_HEADERS) {
            while (i < end) {
                char c = (char) (b[i++] & 0xff);
                head.append(c);
                int len = head.length();
                if (len >= 4 && c == '\n' && head.charAt(len - 2) == '\r' && head.charAt(len - 3) == '\n') {
                    String h = head.toString();
                    if (!h.startsWith("HTTP/1.1 200")) {
                        hub.badStatus.incrementAndGet();
                        if (hub.firstBadStatus == null) {
                            hub.firstBadStatus = h.split("\r\n")[0];
                        }
                        return false;
                    }
                    chunked = h.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                    httpState = H_BODY;
                    hub.doneOpening(this);
                    break;
                }
                if (len > 8192) {
                    return false;
                }
            }
        }
        if (!chunked) {
            sse(b, i, end - i, rec);
            return true;
        }
        while (i < end) {
            switch (chunkState) {
                case C_SIZE -> {
                    byte c = b[i++];
                    if (c == '\n') {
                        if (chunkSize == 0) {
                            chunkState = C_DONE;
                        } else {
                            chunkRemain = chunkSize;
                            chunkState = C_DATA;
                        }
                    } else if (!sizeDone) {
                        int v = Character.digit(c, 16);
                        if (v >= 0) {
                            chunkSize = chunkSize * 16 + v;
                        } else {
                            sizeDone = true;
                        }
                    }
                }
                case C_DATA -> {
                    int k = (int) Math.min(chunkRemain, end - i);
                    sse(b, i, k, rec);
                    i += k;
                    chunkRemain -= k;
                    if (chunkRemain == 0) {
                        chunkState = C_DATA_END;
                    }
                }
                case C_DATA_END -> {
                    if (b[i++] == '\n') {
                        chunkState = C_SIZE;
                        chunkSize = 0;
                        sizeDone = false;
                    }
                }
                default -> {
                    return false; // the last chunk: the server ended the stream
                }
            }
        }
        return true;
    }

    private void sse(byte[] b, int off, int n, Recorder rec) {
        for (int i = off; i < off + n; i++) {
            byte c = b[i];
            if (c == '\n') {
                line(rec);
                lineLen = 0;
            } else {
                if (lineLen == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLen++] = c;
            }
        }
    }

    private void line(Recorder rec) {
        int len = lineLen;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (len == 0) {
            dispatch(rec);
            return;
        }
        if (startsWith(line, len, "data:")) {
            int s = 5;
            if (s < len && line[s] == ' ') {
                s++;
            }
            if (dataLines > 0) {
                append((byte) '\n');
            }
            for (int k = s; k < len; k++) {
                append(line[k]);
            }
            dataLines++;
        } else if (startsWith(line, len, "id:")) {
            int s = 3;
            if (s < len && line[s] == ' ') {
                s++;
            }
            id = new String(line, s, len - s, StandardCharsets.US_ASCII);
        }
        // ":" comments (heartbeats, the opening frames) and "retry:" need nothing
    }

    private void append(byte c) {
        if (dataLen == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[dataLen++] = c;
    }

    private static boolean startsWith(byte[] b, int len, String p) {
        if (len < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (b[i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(Recorder rec) {
        if (dataLines > 0) {
            if (dataLines > 1) {
                hub.multiDataLines.incrementAndGet();
            }
            event(rec);
        }
        if (!live && (id != null || !hub.target.liveNeedsId())) {
            live = true;
            hub.live.incrementAndGet();
        }
        id = null;
        dataLen = 0;
        dataLines = 0;
    }

    private void event(Recorder rec) {
        long now = System.nanoTime();
        long bseq = findLong(data, dataLen, BSEQ);
        if (bseq == NOT_FOUND) {
            if (indexOf(data, dataLen, RESYNC) >= 0) {
                rec.resyncs++;
            } else {
                rec.other++;
            }
            return;
        }
        long sent = findLong(data, dataLen, BNS);
        int slot = slot(findLong(data, dataLen, BT));
        if (slot < 0) {
            rec.other++; // an event of a topic this stream did not ask for
            return;
        }
        if (id != null && hub.target.checksIds(topics.length)) {
            int dash = id.lastIndexOf('-');
            String ep = dash > 0 ? id.substring(0, dash) : id;
            int seq = dash > 0 ? Integer.parseInt(id.substring(dash + 1)) : -1;
            if (epoch == null) {
                epoch = ep;
            } else if (!epoch.equals(ep)) {
                rec.epochChanges++;
                epoch = ep;
                idSeqs.clear();
            }
            if (seq >= 0) {
                if (idSeqs.get(seq)) {
                    rec.dups++;
                    return;
                }
                idSeqs.set(seq);
            }
        }
        if (bseqs[slot].get((int) bseq)) {
            rec.dups++;
            return;
        }
        bseqs[slot].set((int) bseq);
        long base = hub.base;
        if (base != 0 && sent - base >= 0) {
            rec.delivered(now, sent, base);
            hub.distinct.increment();
        } else {
            hub.warmSeen.increment(); // a warm-up event: checked for duplicates, not measured
        }
    }
}
