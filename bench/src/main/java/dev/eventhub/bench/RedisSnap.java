package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.Map;

/** One INFO all: when, total commands, Redis CPU seconds, calls per command. */
record RedisSnap(long t, long total, double cpuSec, Map<String, Long> calls) {}
