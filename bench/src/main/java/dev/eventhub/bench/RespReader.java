package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A buffered reader of RESP replies with no allocation on the hot path. */
final class RespReader {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;

    RespReader(InputStream in) {
        this.in = in;
    }

    int read() throws IOException {
        if (pos == lim) {
            lim = in.read(buf, 0, buf.length);
            pos = 0;
            if (lim <= 0) {
                lim = 0;
                throw new EOFException("connection closed by the peer");
            }
        }
        return buf[pos++] & 0xff;
    }

    /** Reads a decimal number up to CRLF. */
    long number() throws IOException {
        long v = 0;
        boolean neg = false;
        int c;
        while ((c = read()) != '\r') {
            if (c == '-') {
                neg = true;
            } else {
                v = v * 10 + (c - '0');
            }
        }
        read(); // \n
        return neg ? -v : v;
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = read()) != '\r') {
            sb.append((char) c);
        }
        read();
        return sb.toString();
    }

    void readFully(byte[] dst, int n) throws IOException {
        int off = 0;
        while (off < n) {
            if (pos == lim) {
                read();
                pos--;
            }
            int k = Math.min(n - off, lim - pos);
            System.arraycopy(buf, pos, dst, off, k);
            pos += k;
            off += k;
        }
    }

    void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                read();
                pos--;
            }
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    /** Any reply as Java objects: String, Long, byte[], List, RuntimeException for errors. */
    Object reply() throws IOException {
        int type = read();
        switch (type) {
            case '+':
                return line();
            case '-':
                return new RuntimeException(line());
            case ':':
                return number();
            case '$': {
                long n = number();
                if (n < 0) {
                    return null;
                }
                byte[] b = new byte[(int) n];
                readFully(b, (int) n);
                skip(2);
                return b;
            }
            case '*': {
                long n = number();
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>((int) n);
                for (int i = 0; i < n; i++) {
                    list.add(reply());
                }
                return list;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }
}
