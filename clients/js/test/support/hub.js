// Starts the packaged hub (target/quarkus-app/quarkus-run.jar, or HUB_JAR) as a child process on a
// free port, waits until it is ready, and stops only that process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.HUB_JAR || resolve(here, '../../../../target/quarkus-app/quarkus-run.jar');
export const PUBLISH_KEY = `e2e-key-${randomBytes(16).toString('hex')}`;
export const TOKEN_SECRET = randomBytes(32).toString('base64');

export async function freePort() {
  const server = net.createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Waits for a condition, polling; fails with `what` after `timeoutMs`. */
export async function until(what, condition, timeoutMs = 20_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await condition();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last: ${last})`);
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
}

/**
 * @param {{ env?: Record<string,string>, port?: number }} options env adds to the defaults: embedded
 *   store, demo on, one publish key, blog topics private with TOKEN_SECRET and no clock skew
 */
export async function startHub({ env = {}, port } = {}) {
  if (!existsSync(JAR)) throw new Error(`No hub jar at ${JAR}: run ./mvnw package first (or set HUB_JAR)`);
  const hub = new Hub(port || (await freePort()), {
    REALTIME_STORE: 'memory',
    REALTIME_PUBLISH_KEYS: PUBLISH_KEY,
    REALTIME_DEMO: 'true',
    REALTIME_PRIVATE_TYPES: 'blog',
    REALTIME_TOKEN_SECRET: TOKEN_SECRET,
    REALTIME_TOKEN_CLOCK_SKEW: '0s',
    // With a token secret the hub refuses ?viewer= claims by default; the demo page has no token.
    REALTIME_PRESENCE_ANONYMOUS_VIEWERS: 'true',
    REALTIME_SHUTDOWN_DRAIN: '0s',
    ...env,
  });
  await hub.start();
  return hub;
}

class Hub {
  constructor(port, env) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.key = PUBLISH_KEY;
    this.env = env;
    this.log = '';
  }

  async start() {
    const child = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', JAR], {
      env: { ...process.env, ...this.env, QUARKUS_HTTP_PORT: String(this.port), QUARKUS_HTTP_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const append = (chunk) => {
      this.log = (this.log + chunk).slice(-20_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    this.exited = new Promise((ok) => child.once('exit', ok));
    await until(
      `the hub on ${this.port} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the hub exited: ${this.log}`);
        const res = await fetch(`${this.url}/q/health/ready`);
        return res.status === 200;
      },
      60_000,
      100,
    );
  }

  /** SIGKILL: no drain, connections reset, as a crash. */
  async kill() {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** A gauge or counter of the hub's Prometheus metrics. */
  async metric(name) {
    const text = await (await fetch(`${this.url}/q/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(' ').pop()) : undefined;
  }

  async publish(topic, event) {
    const res = await fetch(`${this.url}/api/publish/${topic}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
    if (res.status !== 201) throw new Error(`publish ${topic}: ${res.status} ${await res.text()}`);
    return res.json();
  }
}

/** Deletes the keys under a prefix in the shared Redis (SCAN, never KEYS), over a bare RESP socket. */
export async function deleteRedisPrefix(prefix, port = 6379) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((ok, fail) => socket.once('connect', ok).once('error', fail));
  let buffer = '';
  const reply = () =>
    new Promise((ok) => {
      const check = () => {
        // Good enough for SCAN and DEL replies: wait for the whole reply by its shape.
        const parsed = parse(buffer);
        if (parsed) {
          buffer = buffer.slice(parsed.length);
          socket.off('data', onData);
          ok(parsed.value);
        }
      };
      const onData = (d) => {
        buffer += d.toString('utf8');
        check();
      };
      socket.on('data', onData);
      check();
    });
  const command = (...args) => {
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    return reply();
  };
  let cursor = '0';
  do {
    const [next, keys] = await command('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
    cursor = next;
    if (keys.length) await command('DEL', ...keys);
  } while (cursor !== '0');
  socket.end();
}

function parse(text, at = 0) {
  const end = text.indexOf('\r\n', at);
  if (end < 0) return null;
  const kind = text[at];
  const head = text.slice(at + 1, end);
  if (kind === ':' || kind === '+') return { value: head, length: end + 2 - at };
  if (kind === '-') throw new Error(head);
  if (kind === '$') {
    const n = Number(head);
    if (n < 0) return { value: null, length: end + 2 - at };
    if (text.length < end + 2 + n + 2) return null;
    return { value: text.slice(end + 2, end + 2 + n), length: end + 2 + n + 2 - at };
  }
  if (kind === '*') {
    const values = [];
    let pos = end + 2;
    for (let i = 0; i < Number(head); i++) {
      const item = parse(text, pos);
      if (!item) return null;
      values.push(item.value);
      pos += item.length;
    }
    return { value: values, length: pos - at };
  }
  throw new Error(`Unexpected RESP ${kind}`);
}
