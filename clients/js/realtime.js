// event-hub's browser client: every subscription of one hub shares ONE multiplexed stream
// (GET /api/subscribe?topic=...&topic=...). Plain ES module, no dependencies; the hub serves this
// very file at /realtime.js. docs/client.md describes its behaviour; realtime.d.ts its types.
//
// The stream is read with fetch rather than EventSource: EventSource hides the server's `retry:`,
// cannot send a token in a header (it would sit in URLs and logs) and reconnects at a fixed pace,
// where this client backs off with jitter and fetches a fresh token on every connect.

const DEFAULT_PAUSE_WHEN_HIDDEN_MS = 60_000;
const DEFAULT_RETRY_MS = 1_000; // until the server sends its own `retry:`
/** 2.5 heartbeats of the hub's default 30 s: a stream silent this long is dead (sleep, lost NAT entry). */
const DEFAULT_IDLE_TIMEOUT_MS = 75_000;
const MAX_RETRY_MS = 30_000;
const LONGEST_RETRY_AFTER_MS = 5 * 60_000;
/** Answers that do not change by trying again: the topics or the token must change first. */
const PERMANENT = new Set([400, 403, 404, 406, 413, 414, 415, 422]);

/**
 * Opens a hub: a handle on one multiplexed stream, which is connected while it has subscriptions.
 * @param {import('./realtime').ConnectOptions} [options]
 * @returns {import('./realtime').Hub}
 */
export function connect(options = {}) {
  return new Hub(options);
}

class Hub {
  constructor(options) {
    const origin = globalThis.location ? globalThis.location.origin : '';
    this.url = String(options.url ?? origin).replace(/\/+$/, '');
    this._token = options.token;
    this._viewer = typeof options.viewer === 'string' ? { id: options.viewer } : options.viewer;
    this._pauseMs = options.pauseWhenHiddenMs ?? DEFAULT_PAUSE_WHEN_HIDDEN_MS;
    this._idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this._idleTimer = null;
    this._credentials = options.withCredentials ? 'include' : 'same-origin';
    this._fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this._doc = options.document !== undefined ? options.document : globalThis.document;
    this._random = options.random ?? Math.random;
    this._cursor = options.lastEventId ?? null;
    this._retryMs = DEFAULT_RETRY_MS;
    this._subs = new Set();
    this._statusListeners = new Set();
    this._errorListeners = new Set();
    this._status = 'idle';
    this._closed = false;
    this.error = null;
    this._generation = 0; // bumped on every (re)connect; frames of an older connection are dropped
    this._abort = null;
    this._timer = null; // the pending (re)connect
    this._hideTimer = null;
    this._attempt = 0;
    this._onVisibility = () => this._visibilityChanged();
    if (this._doc && this._doc.addEventListener) {
      this._doc.addEventListener('visibilitychange', this._onVisibility);
    }
  }

  get status() {
    return this._status;
  }

  /** The composite cursor of the last frame received: where the next connection resumes. */
  get lastEventId() {
    return this._cursor;
  }

  subscribe(topics, handler, options = {}) {
    if (this._closed) throw new Error('This hub is closed');
    const list = [...new Set(typeof topics === 'string' ? [topics] : topics)];
    for (const topic of list) {
      if (!/^[^/?#&\s]+\/[^/?#&\s]+\/[^/?#&\s]+$/.test(topic)) {
        throw new TypeError(`Not a topic (type/id/channel): ${topic}`);
      }
    }
    if (typeof handler !== 'function') throw new TypeError('subscribe needs a handler function');
    const sub = { topics: new Set(list), handler, onResync: options.onResync };
    this._subs.add(sub);
    this._topicsChanged();
    return {
      topics: list,
      unsubscribe: () => {
        if (this._subs.delete(sub)) this._topicsChanged();
      },
    };
  }

  onStatus(listener) {
    this._statusListeners.add(listener);
    return () => this._statusListeners.delete(listener);
  }

  onError(listener) {
    this._errorListeners.add(listener);
    return () => this._errorListeners.delete(listener);
  }

  close() {
    if (this._closed) return;
    this._closed = true;
    this._subs.clear();
    this._disconnect();
    clearTimeout(this._hideTimer);
    if (this._doc && this._doc.removeEventListener) {
      this._doc.removeEventListener('visibilitychange', this._onVisibility);
    }
    this._setStatus('closed');
  }

  // ---- connection lifecycle ----

  _topics() {
    const all = new Set();
    for (const sub of this._subs) for (const topic of sub.topics) all.add(topic);
    return [...all].sort();
  }

  /** A change of topics reconnects once, after the current task, so several subscribe() calls coalesce. */
  _topicsChanged() {
    if (this._closed || this._status === 'paused') return; // a paused hub applies them when visible
    const topics = this._topics().join('&');
    if (topics === this._connectedTopics && this._status !== 'closed') return;
    this._schedule(0);
  }

  _schedule(delayMs) {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._connectNow(), delayMs);
  }

  _disconnect() {
    this._generation++;
    clearTimeout(this._timer);
    clearTimeout(this._idleTimer);
    this._timer = null;
    if (this._abort) this._abort.abort();
    this._abort = null;
    this._connectedTopics = undefined;
  }

  async _connectNow() {
    this._disconnect();
    const generation = this._generation;
    const topics = this._topics();
    if (topics.length === 0) {
      this._setStatus('idle');
      return;
    }
    this._connectedTopics = topics.join('&');
    this._setStatus('connecting');
    const controller = new AbortController();
    this._abort = controller;
    const current = () => generation === this._generation && !this._closed;
    let response;
    try {
      const token = typeof this._token === 'function' ? await this._token() : this._token;
      if (!current()) return;
      response = await this._fetch(this._streamUrl(topics), {
        headers: this._headers(token),
        signal: controller.signal,
        credentials: this._credentials,
        cache: 'no-store',
      });
    } catch (error) {
      if (current()) this._retryLater(error);
      return;
    }
    if (!current()) {
      cancel(response);
      return;
    }
    if (!response.ok) {
      await this._refused(response);
      return;
    }
    const type = response.headers.get('content-type') || '';
    if (!type.startsWith('text/event-stream') || !response.body) {
      cancel(response);
      this._giveUp(new RealtimeStreamError(`Not an event stream: ${type || 'no content type'}`, response.status));
      return;
    }
    this._attempt = 0;
    this.error = null;
    this._setStatus('open');
    this._armHiddenPause();
    const parser = new SseParser((frame) => current() && this._frame(frame));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        this._watch(controller);
        const { done, value } = await reader.read();
        if (!current()) {
          reader.cancel().catch(() => {});
          return;
        }
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch (error) {
      if (current()) this._retryLater(error);
      return;
    } finally {
      if (generation === this._generation) clearTimeout(this._idleTimer);
    }
    // The hub ended the stream (lifetime, drain): come back after its `retry:`, as EventSource does.
    if (current()) {
      this._setStatus('connecting');
      this._schedule(this._retryMs);
    }
  }

  /** Nothing at all (not even a heartbeat) for idleTimeoutMs: the connection is dead, break it. */
  _watch(controller) {
    clearTimeout(this._idleTimer);
    if (!(this._idleTimeoutMs < Infinity)) return;
    this._idleTimer = setTimeout(() => controller.abort(new RealtimeStreamError('The stream went silent', 0)), this._idleTimeoutMs);
  }

  _streamUrl(topics) {
    const query = new URLSearchParams();
    for (const topic of topics) query.append('topic', topic);
    if (this._viewer && this._viewer.id != null) {
      query.set('viewer', String(this._viewer.id));
      if (this._viewer.name != null) query.set('name', String(this._viewer.name));
      if (this._viewer.avatarUrl != null) query.set('avatarUrl', String(this._viewer.avatarUrl));
    }
    return `${this.url}/api/subscribe?${query}`;
  }

  _headers(token) {
    const headers = { Accept: 'text/event-stream' };
    if (this._cursor) headers['Last-Event-ID'] = this._cursor;
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  async _refused(response) {
    const problem = await response.json().catch(() => null);
    const title = (problem && (problem.detail || problem.title)) || `HTTP ${response.status}`;
    const error = new RealtimeStreamError(title, response.status, problem);
    // 401 with a token function: the next connect asks it for a fresh token, so it is worth a retry.
    if (PERMANENT.has(response.status) || (response.status === 401 && typeof this._token !== 'function')) {
      this._giveUp(error);
    } else {
      this._retryLater(error, retryAfterMs(response));
    }
  }

  /** Jittered exponential back-off from the server's `retry:`; at least the server's Retry-After. */
  _retryLater(error, atLeastMs = 0) {
    this._report(error);
    this._connectedTopics = undefined;
    this._attempt++;
    const ceiling = Math.min(MAX_RETRY_MS, this._retryMs * 2 ** (this._attempt - 1));
    const delay = Math.max(atLeastMs, ceiling / 2 + (this._random() * ceiling) / 2);
    this._setStatus('connecting');
    this._schedule(delay);
  }

  _giveUp(error) {
    this.error = error;
    this._report(error);
    this._disconnect();
    this._setStatus('closed');
  }

  _frame({ id, data, retry }) {
    if (retry !== undefined) this._retryMs = retry;
    if (id !== undefined) this._cursor = id;
    if (data === undefined) return; // the position frame, a retry hint: nothing to deliver
    let event;
    try {
      event = JSON.parse(data);
    } catch (error) {
      this._report(new RealtimeStreamError('An event was not JSON', 0));
      return;
    }
    if (event.action === 'token_expired') {
      // Fresh token, same cursor: the hub replays what was published meanwhile. Reconnecting
      // bumps the generation, so the rest of this (ending) stream is dropped.
      this._connectNow();
      return;
    }
    const topic = `${event.entityType}/${event.entityId}/${event.channel}`;
    for (const sub of [...this._subs]) {
      if (!sub.topics.has(topic)) continue;
      const call = event.action === 'resync' && sub.onResync ? () => sub.onResync(topic, event) : () => sub.handler(event, { id, topic });
      try {
        call();
      } catch (error) {
        reportLater(error); // one failing handler does not starve the others
      }
    }
  }

  // ---- hidden pages ----

  _hidden() {
    return Boolean(this._doc && this._doc.visibilityState === 'hidden');
  }

  _armHiddenPause() {
    clearTimeout(this._hideTimer);
    if (!this._hidden() || !(this._pauseMs < Infinity) || this._pauseMs === false) return;
    this._hideTimer = setTimeout(() => {
      if (this._hidden() && !this._closed && this._status !== 'idle') {
        this._disconnect();
        this._setStatus('paused');
      }
    }, this._pauseMs);
  }

  _visibilityChanged() {
    if (this._closed) return;
    if (this._hidden()) {
      this._armHiddenPause();
      return;
    }
    clearTimeout(this._hideTimer);
    if (this._status === 'paused') this._connectNow();
  }

  _setStatus(status) {
    if (this._status === status) return;
    this._status = status;
    for (const listener of [...this._statusListeners]) {
      try {
        listener(status);
      } catch (error) {
        reportLater(error);
      }
    }
  }

  _report(error) {
    for (const listener of [...this._errorListeners]) {
      try {
        listener(error);
      } catch (thrown) {
        reportLater(thrown);
      }
    }
  }
}

/** Why the hub refused or broke a stream: `status` is the HTTP status (0 when there was none). */
export class RealtimeStreamError extends Error {
  constructor(message, status, problem = null) {
    super(message);
    this.name = 'RealtimeStreamError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * The text/event-stream parser of the HTML standard (lines, fields, dispatch on a blank line), for
 * the fields the hub sends: `id`, `data`, `retry` and comments. The last event id persists across
 * frames as in EventSource; a frame with an id and no data (the hub's opening position) only moves it.
 */
export class SseParser {
  constructor(onFrame) {
    this._onFrame = onFrame;
    this._buffer = '';
    this._data = null;
    this._id = undefined;
    this._idChanged = false;
    this._retry = undefined;
  }

  push(text) {
    this._buffer += text;
    let start = 0;
    for (;;) {
      const lf = this._buffer.indexOf('\n', start);
      const cr = this._buffer.indexOf('\r', start);
      let end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) break;
      // A CR as the very last character may be the first half of CRLF: wait for the next chunk.
      if (end === cr && end === this._buffer.length - 1) break;
      const line = this._buffer.slice(start, end);
      start = end + (end === cr && this._buffer[end + 1] === '\n' ? 2 : 1);
      this._line(line);
    }
    this._buffer = this._buffer.slice(start);
  }

  _line(line) {
    if (line === '') return this._dispatch();
    if (line[0] === ':') return; // a comment: the heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'data') this._data = this._data === null ? value : `${this._data}\n${value}`;
    else if (field === 'id' && !value.includes('\0')) {
      this._id = value;
      this._idChanged = true;
    } else if (field === 'retry' && /^\d+$/.test(value)) this._retry = Number(value);
  }

  _dispatch() {
    const frame = {};
    if (this._idChanged) frame.id = this._id;
    if (this._data !== null) frame.data = this._data;
    if (this._retry !== undefined) frame.retry = this._retry;
    this._data = null;
    this._idChanged = false;
    this._retry = undefined;
    if (Object.keys(frame).length > 0) this._onFrame(frame);
  }
}

function retryAfterMs(response) {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, LONGEST_RETRY_AFTER_MS) : 0;
}

function cancel(response) {
  if (response && response.body) response.body.cancel().catch(() => {});
}

function reportLater(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else setTimeout(() => { throw error; });
}
