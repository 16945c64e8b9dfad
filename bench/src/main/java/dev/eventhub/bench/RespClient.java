package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A blocking RESP connection: commands, replies and INFO snapshots. */
final class RespClient implements Closeable {
    static void writeCommand(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        byte[][] parts = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            parts[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            out.write(('$' + Integer.toString(p.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(p);
            out.write('\r');
            out.write('\n');
        }
    }

    final Socket socket;
    final OutputStream out;
    final RespReader in;

    RespClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new RespReader(socket.getInputStream());
    }

    Object call(String... args) throws IOException {
        writeCommand(out, args);
        out.flush();
        Object r = in.reply();
        if (r instanceof RuntimeException e) {
            throw new IOException("redis: " + e.getMessage());
        }
        return r;
    }

    RedisSnap snap() throws IOException {
        long t = System.nanoTime();
        String info = new String((byte[]) call("INFO", "all"), StandardCharsets.UTF_8);
        long total = 0;
        double cpu = 0;
        Map<String, Long> calls = new HashMap<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("total_commands_processed:")) {
                total = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                int c = line.indexOf("calls=") + 6;
                int e = line.indexOf(',', c);
                calls.put(name, Long.parseLong(line.substring(c, e)));
            }
        }
        return new RedisSnap(t, total, cpu, calls);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
