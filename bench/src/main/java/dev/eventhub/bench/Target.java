package dev.eventhub.bench;

import java.util.Set;

/**
 * A server under test: the hub, or Nchan as the peer. Says how to subscribe, how to publish, what a
 * good publish answer is, when a stream counts as live, and which Redis commands are its own.
 *
 * @param pid the server's process (with its children: nginx's workers) for CPU and RSS
 * @param ownCommands the command types it sends to Redis; null: every command counts (private Redis)
 * @param scriptOnly the commands it runs only inside Lua (so not round trips of its own)
 */
record Target(
        String kind,
        String host,
        int port,
        long pid,
        String publishKey,
        Set<String> ownCommands,
        Set<String> scriptOnly) {

    static final Set<String> HUB_CMDS = Set.of(
            "evalsha",
            "eval",
            "mget",
            "hello",
            "ping",
            "select",
            "auth",
            "client|setinfo",
            "client|setname",
            "subscribe",
            "psubscribe",
            "ssubscribe",
            "unsubscribe",
            "publish",
            "script|load",
            "script|exists");

    boolean hub() {
        return kind.equals("hub");
    }

    /** The request path of stream {@code j}. */
    String subscribePath(Layout l, int j) {
        int[] ts = l.streamTopics[j];
        StringBuilder sb = new StringBuilder();
        if (hub()) {
            if (ts.length == 1) {
                return "/api/subscribe/" + l.topics[ts[0]];
            }
            for (int t : ts) {
                sb.append(sb.length() == 0 ? "/api/subscribe?topic=" : "&topic=")
                        .append(l.topics[t]);
            }
            return sb.toString();
        }
        // Nchan: one location, channels split on ',' (nchan_channel_id_split_delimiter)
        for (int t : ts) {
            sb.append(sb.length() == 0 ? "/sub/" : ",").append(nchanChannel(l.topics[t]));
        }
        return sb.toString();
    }

    String publishPath(String topic) {
        return hub() ? "/api/publish/" + topic : "/pub/" + nchanChannel(topic);
    }

    /** The hub answers 201; Nchan 201 (subscribers present) or 202 (queued, none yet). */
    boolean publishOk(int status) {
        return hub() ? status == 201 : status == 201 || status == 202;
    }

    /**
     * The hub opens every stream with a position frame ({@code id:} without data), Nchan with a
     * {@code : hi} comment; a stream is live at that first frame.
     */
    boolean liveNeedsId() {
        return hub();
    }

    /** One-topic hub streams carry {@code <epoch>-<seq>} ids that can be checked for duplicates too. */
    boolean checksIds(int topicsOnStream) {
        return hub() && topicsOnStream == 1;
    }

    static String nchanChannel(String topic) {
        return topic.replace('/', '.');
    }
}
