// A fake of the hub's stream endpoint for unit tests: each fetch() is recorded as a connection whose
// response the test answers and then writes SSE text to, as the hub would.

export class FakeHubServer {
  constructor() {
    this.connections = [];
    this.waiters = [];
    this.fetch = (url, init = {}) => this._open(url, init);
  }

  _open(url, init) {
    const connection = new FakeConnection(new URL(url), init);
    this.connections.push(connection);
    for (const waiter of this.waiters.splice(0)) waiter();
    return connection.response;
  }

  /** Resolves with the n-th connection (0-based) once it has been opened. */
  async connection(n) {
    while (this.connections.length <= n) {
      await new Promise((resolve) => this.waiters.push(resolve));
    }
    return this.connections[n];
  }

  get open() {
    return this.connections.filter((c) => !c.aborted && !c.ended);
  }
}

export class FakeConnection {
  constructor(url, init) {
    this.url = url;
    this.headers = init.headers || {};
    this.aborted = false;
    this.ended = false;
    this.response = new Promise((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
    });
    if (init.signal) {
      init.signal.addEventListener('abort', () => {
        this.aborted = true;
        const error = new DOMException('aborted', 'AbortError');
        this._reject(error);
        if (this._controller) {
          try {
            this._controller.error(error);
          } catch {}
        }
      });
    }
  }

  get topics() {
    return this.url.searchParams.getAll('topic');
  }

  /** Answers 200 text/event-stream; write() then sends SSE text. */
  accept() {
    const body = new ReadableStream({ start: (controller) => (this._controller = controller) });
    this._resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
    return this;
  }

  refuse(status, problem = { title: 'Refused', status }, headers = {}) {
    this._resolve(
      new Response(JSON.stringify(problem), {
        status,
        headers: { 'content-type': 'application/problem+json', ...headers },
      }),
    );
  }

  failNetwork() {
    this._reject(new TypeError('fetch failed'));
  }

  write(text) {
    this._controller.enqueue(new TextEncoder().encode(text));
  }

  /** An event of a topic, framed as the hub frames it. */
  event(id, topic, fields) {
    const [entityType, entityId, channel] = topic.split('/');
    this.write(`id:${id}\ndata:${JSON.stringify({ ...fields, entityType, entityId, channel })}\n\n`);
  }

  end() {
    this.ended = true;
    this._controller.close();
  }

  breakOff() {
    this.ended = true;
    this._controller.error(new TypeError('network error'));
  }
}

/** A document whose visibility the test sets. */
export class FakeDocument {
  constructor() {
    this.visibilityState = 'visible';
    this.listeners = new Set();
  }
  addEventListener(type, listener) {
    if (type === 'visibilitychange') this.listeners.add(listener);
  }
  removeEventListener(type, listener) {
    this.listeners.delete(listener);
  }
  setVisibility(state) {
    this.visibilityState = state;
    for (const listener of this.listeners) listener();
  }
}

/** Lets pending promise callbacks and zero-delay work run. */
export async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
