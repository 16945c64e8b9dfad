package dev.eventhub.store.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key-to-slot rule: CRC16 (XMODEM) of the key, or of its hash tag (the text between
 * the first {@code {} and the next {@code }}, when not empty), modulo 16384. Every key and channel of
 * a topic carries the tag {@code {type/id/channel}}, so a topic lives in one slot, and the hub groups
 * multi-topic work by slot without asking the cluster.
 */
public final class HashSlot {

    public static final int SLOTS = 16384;

    private HashSlot() {}

    public static int of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /** CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection. */
    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
