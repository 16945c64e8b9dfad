package dev.eventhub.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which topics exist, which topics each stream reads, and the body published on each topic. Topic
 * {@code t} gets event {@code i} when {@code i % topics == t}, with per-topic sequence {@code i / topics + 1}.
 *
 * <p>{@link #fanout}: N one-topic streams over C topics {@code trip/b<t>/comments} (stream j on topic j mod C).
 * {@link #pages}: the multiplexed scenario's six topics per trip page (five channels of {@code trip/b<k>} and
 * {@code location/b<k>/comments}), either as one multiplexed stream per page or as six one-topic streams per
 * page; both give every topic the same number of readers, so both sides expect the same deliveries.
 */
final class Layout {
    /** The six topics of a trip page: {@code trip/b<k>/<channel>} for the first five, then the location's comments. */
    static final String[] PAGE_CHANNELS = {"comments", "rating", "likes", "saves", "images", "location-comments"};

    final String name;
    final String[] topics;
    final int[][] streamTopics;
    final int[] streamsOnTopic;

    private Layout(String name, String[] topics, int[][] streamTopics) {
        this.name = name;
        this.topics = topics;
        this.streamTopics = streamTopics;
        this.streamsOnTopic = new int[topics.length];
        for (int[] st : streamTopics) {
            for (int t : st) {
                streamsOnTopic[t]++;
            }
        }
    }

    static Layout fanout(int streams, int topicCount) {
        String[] topics = new String[topicCount];
        for (int t = 0; t < topicCount; t++) {
            topics[t] = "trip/b" + t + "/comments";
        }
        int[][] st = new int[streams][];
        for (int j = 0; j < streams; j++) {
            st[j] = new int[] {j % topicCount};
        }
        return new Layout(streams + " one-topic streams", topics, st);
    }

    /** {@code pages} pages over {@code trips} trips; multiplexed: one stream per page, else six per page. */
    static Layout pages(int pages, int trips, boolean multiplexed) {
        int per = PAGE_CHANNELS.length;
        String[] topics = new String[trips * per];
        for (int k = 0; k < trips; k++) {
            for (int c = 0; c < per; c++) {
                topics[k * per + c] =
                        c == per - 1 ? "location/b" + k + "/comments" : "trip/b" + k + "/" + PAGE_CHANNELS[c];
            }
        }
        int[][] st;
        if (multiplexed) {
            st = new int[pages][per];
            for (int p = 0; p < pages; p++) {
                for (int c = 0; c < per; c++) {
                    st[p][c] = (p % trips) * per + c;
                }
            }
        } else {
            st = new int[pages * per][];
            for (int j = 0; j < st.length; j++) {
                st[j] = new int[] {j % topics.length};
            }
        }
        return new Layout(
                multiplexed ? pages + " multiplexed streams × " + per + " topics" : pages * per + " one-topic streams",
                topics,
                st);
    }

    int streams() {
        return streamTopics.length;
    }

    /** The channel of topic {@code t}: its last path segment. */
    String channel(int t) {
        return topics[t].substring(topics[t].lastIndexOf('/') + 1);
    }

    /**
     * The event body: an action the hub accepts on the topic's channel, plus the bench's fields
     * ({@code bt} topic index, {@code bseq} per-topic sequence, {@code bns} send time), which pass through.
     */
    String body(int t, long bseq, long sentNs) {
        String action = switch (channel(t)) {
            case "rating" -> "\"action\":\"rating_updated\",\"rating\":{\"average\":4.5,\"count\":" + bseq + "}";
            case "likes" -> "\"action\":\"liked\",\"userId\":\"u" + bseq + "\",\"count\":" + bseq;
            case "saves" -> "\"action\":\"saved\",\"userId\":\"u" + bseq + "\",\"count\":" + bseq;
            case "images" -> "\"action\":\"image_uploaded\",\"image\":{\"id\":\"b" + t + "-" + bseq + "\"}";
            default ->
                "\"action\":\"new_comment\",\"comment\":{\"id\":\"b" + t + "-" + bseq
                        + "\",\"text\":\"load test comment\",\"sentAt\":" + sentNs + "}";
        };
        return "{" + action + ",\"bt\":" + t + ",\"bseq\":" + bseq + ",\"bns\":" + sentNs + "}";
    }

    /** Deliveries owed for the accepted publishes {@code ok} (per topic) to {@code readers} (per topic). */
    static long expected(AtomicIntegerArray ok, int[] readers) {
        long e = 0;
        for (int t = 0; t < readers.length; t++) {
            e += (long) ok.get(t) * readers[t];
        }
        return e;
    }
}
