package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The streams of one phase (a {@link Layout} against one {@link Target}), served by a few selector threads. */
final class SseReaders {
    final Opts o;
    final Target target;
    final Layout layout;
    final InetSocketAddress addr;
    final SseStream[] conns;
    final int[] streamsOnTopic;
    final AtomicInteger nextToOpen = new AtomicInteger();
    final ConcurrentLinkedQueue<SseStream> retry = new ConcurrentLinkedQueue<>();
    final AtomicInteger opening = new AtomicInteger();
    final AtomicInteger live = new AtomicInteger();
    /** Streams whose response head arrived (live or not yet): progress while a server is slow to open. */
    final AtomicInteger answered = new AtomicInteger();

    final AtomicInteger openFailures = new AtomicInteger();
    final AtomicInteger badStatus = new AtomicInteger();
    final AtomicInteger closedAfterLive = new AtomicInteger();
    final AtomicInteger multiDataLines = new AtomicInteger();
    final LongAdder distinct = new LongAdder();
    final LongAdder warmSeen = new LongAdder();
    volatile String firstBadStatus;
    volatile String firstError;
    volatile long base;
    volatile boolean stop;
    final List<Thread> threads = new ArrayList<>();
    final List<Recorder> recs = new ArrayList<>();

    SseReaders(Opts o, Target target, Layout layout) {
        this.o = o;
        this.target = target;
        this.layout = layout;
        this.addr = new InetSocketAddress(target.host(), target.port());
        this.conns = new SseStream[layout.streams()];
        this.streamsOnTopic = layout.streamsOnTopic;
        for (int j = 0; j < conns.length; j++) {
            conns[j] = new SseStream(j, layout.streamTopics[j], this);
        }
    }

    byte[] requestFor(SseStream c) {
        return ("GET " + target.subscribePath(layout, c.index) + " HTTP/1.1\r\nHost: " + target.host() + ":"
                        + target.port() + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    void start() {
        for (int t = 0; t < o.sseThreads; t++) {
            Recorder rec = new Recorder();
            recs.add(rec);
            Thread th = new Thread(() -> loop(rec), "sse-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
    }

    private SseStream claim() {
        SseStream r = retry.poll();
        if (r != null) {
            return r;
        }
        int j = nextToOpen.getAndIncrement();
        return j < conns.length ? conns[j] : null;
    }

    private void loop(Recorder rec) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        byte[] arr = buf.array();
        List<SseStream> mine = new ArrayList<>();
        try (Selector sel = Selector.open()) {
            while (!stop) {
                int budget = o.openInflight / o.sseThreads;
                while (opening.get() < o.openInflight && budget-- > 0) {
                    SseStream c = claim();
                    if (c == null) {
                        break;
                    }
                    opening.incrementAndGet();
                    c.inOpening = true;
                    open(c, sel);
                    mine.add(c);
                }
                sel.select(20);
                for (SelectionKey key : sel.selectedKeys()) {
                    SseStream c = (SseStream) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            c.ch.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            c.ch.write(c.pendingWrite);
                            if (!c.pendingWrite.hasRemaining()) {
                                c.pendingWrite = null;
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            buf.clear();
                            int n = c.ch.read(buf);
                            if (n < 0) {
                                fail(c, key, null);
                            } else if (n > 0 && !c.feed(arr, 0, n, rec)) {
                                fail(c, key, null);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(c, key, e);
                    }
                }
                sel.selectedKeys().clear();
            }
            for (SseStream c : mine) {
                try {
                    c.ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        } catch (IOException e) {
            firstError = "selector: " + e;
        }
    }

    private void open(SseStream c, Selector sel) {
        try {
            c.attempts++;
            c.ch = SocketChannel.open();
            c.ch.configureBlocking(false);
            c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.pendingWrite = ByteBuffer.wrap(requestFor(c));
            if (c.ch.connect(addr)) {
                c.ch.register(sel, SelectionKey.OP_WRITE, c);
            } else {
                c.ch.register(sel, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            failOpen(c, e);
        }
    }

    private void fail(SseStream c, SelectionKey key, Exception e) {
        key.cancel();
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // gone
        }
        if (c.live) {
            if (!stop) {
                closedAfterLive.incrementAndGet();
                if (firstError == null) {
                    firstError = "stream " + c.index + " (" + target.subscribePath(layout, c.index) + ") ended: "
                            + (e == null ? "closed by the server" : e.toString());
                }
            }
            c.closed = true;
        } else {
            failOpen(c, e);
        }
    }

    /** The connection is answered: it no longer counts against the opening limit. */
    void doneOpening(SseStream c) {
        if (c.inOpening) {
            c.inOpening = false;
            opening.decrementAndGet();
            answered.incrementAndGet();
        }
    }

    private void failOpen(SseStream c, Exception e) {
        doneOpening(c);
        openFailures.incrementAndGet();
        if (firstError == null && e != null) {
            firstError = "open: " + e;
        }
        if (c.attempts < 3 && !stop) {
            c.httpState = SseStream.H_HEADERS;
            c.head.setLength(0);
            c.chunkState = SseStream.C_SIZE;
            c.chunkSize = 0;
            c.sizeDone = false;
            c.lineLen = 0;
            c.dataLen = 0;
            c.dataLines = 0;
            retry.add(c);
        } else {
            c.closed = true;
        }
    }

    boolean allSettled() {
        int unsettled = 0;
        for (SseStream c : conns) {
            if (!c.live && !c.closed) {
                unsettled++;
            }
        }
        return unsettled == 0;
    }

    Recorder stopAndMerge() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(10_000);
        }
        Recorder all = new Recorder();
        recs.forEach(all::merge);
        return all;
    }
}
