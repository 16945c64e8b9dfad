// event-hub's helpers for the web app's server (Node.js 18+): publish events and manage presence
// with a publish key, and sign subscriber tokens for private topics. No dependencies.
import { createHmac, randomUUID } from 'node:crypto';

const CHANNELS = new Set(['comments', 'rating', 'likes', 'saves', 'presence', 'images']);

/** The hub refused a call: `status`, `type`, `title` and `detail` come from its problem+json. */
export class RealtimeError extends Error {
  constructor(status, problem) {
    const title = (problem && problem.title) || `HTTP ${status}`;
    super(problem && problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = 'RealtimeError';
    this.status = status;
    this.type = (problem && problem.type) || 'about:blank';
    this.title = title;
    this.detail = problem ? problem.detail : undefined;
    this.problem = problem;
  }
}

/**
 * @param {import('./server').PublisherOptions} options
 * @returns {import('./server').Publisher}
 */
export function createPublisher(options) {
  const { url, key } = options || {};
  if (!url) throw new TypeError('createPublisher needs the hub url');
  if (!key) throw new TypeError('createPublisher needs a publish key');
  const base = String(url).replace(/\/+$/, '');
  const fetchImpl = options.fetch || ((...args) => globalThis.fetch(...args));
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));

  /**
   * One call: on 503 or a network error it tries again (up to `retries` more times), always with the
   * same Idempotency-Key, so a publish whose answer was lost is stored once.
   */
  async function call(method, path, body) {
    const headers = { Authorization: `Bearer ${key}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['Idempotency-Key'] = randomUUID();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetchImpl(base + path, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (attempt >= retries) throw error;
        await sleep(backoff(attempt, 0));
        continue;
      }
      if (response.status === 503 && attempt < retries) {
        await response.arrayBuffer().catch(() => {});
        await sleep(backoff(attempt, retryAfterMs(response)));
        continue;
      }
      const text = await response.text();
      const json = text ? parseJson(text) : null;
      if (!response.ok) throw new RealtimeError(response.status, json);
      return json;
    }
  }

  function backoff(attempt, atLeastMs) {
    const ceiling = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempt);
    return Math.max(atLeastMs, ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  function publish(type, id, channel, event) {
    if (!CHANNELS.has(channel)) throw new TypeError(`Unknown channel ${channel}`);
    return call('POST', `/api/publish/${segment(type)}/${segment(id)}/${channel}`, event);
  }

  const presencePath = (type, id) => `/api/presence/${segment(type)}/${segment(id)}`;

  return {
    publish,
    publishComment: (type, id, comment) => publish(type, id, 'comments', { action: 'new_comment', comment }),
    publishCommentEdit: (type, id, comment) => publish(type, id, 'comments', { action: 'comment_edited', comment }),
    publishCommentDelete: (type, id, commentId) =>
      publish(type, id, 'comments', { action: 'comment_deleted', commentId }),
    publishRating: (type, id, { average, count }) =>
      publish(type, id, 'rating', { action: 'rating_updated', rating: { average, count } }),
    publishLike: (type, id, userId, count, liked = true) =>
      publish(type, id, 'likes', { action: liked ? 'liked' : 'unliked', userId, count }),
    publishSave: (type, id, userId, count, saved = true) =>
      publish(type, id, 'saves', { action: saved ? 'saved' : 'unsaved', userId, count }),
    publishImageUpdate(type, id, change, imageOrId) {
      if (change === 'uploaded') return publish(type, id, 'images', { action: 'image_uploaded', image: imageOrId });
      if (change === 'deleted') return publish(type, id, 'images', { action: 'image_deleted', imageId: imageOrId });
      throw new TypeError(`publishImageUpdate: change is 'uploaded' or 'deleted', not ${change}`);
    },
    trackViewer: (type, id, viewerId, display = {}) =>
      call('PUT', `${presencePath(type, id)}/viewers/${segment(viewerId)}`, display),
    async getActiveViewers(type, id) {
      const { viewers, count } = await call('GET', presencePath(type, id));
      return { viewers, count };
    },
    removeViewer: (type, id, viewerId) => call('DELETE', `${presencePath(type, id)}/viewers/${segment(viewerId)}`),
  };
}

/**
 * An HS256 subscriber token (JWT) for private topics, signed with the hub's `realtime.token-secret`.
 * @param {{ topics?: string[], sub?: string, expiresIn?: number | string }} claims expiresIn: seconds or '90s', '10m', '1h' (default 10m)
 */
export function signSubscriberToken({ topics, sub, expiresIn = '10m' } = {}, secret) {
  if (!secret) throw new TypeError('signSubscriberToken needs the token secret');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iat: now, exp: now + seconds(expiresIn) };
  if (topics) claims.topics = [...topics];
  if (sub != null) claims.sub = String(sub);
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function seconds(expiresIn) {
  if (typeof expiresIn === 'number' && expiresIn > 0) return Math.ceil(expiresIn);
  const match = /^(\d+)\s*(s|m|h)$/.exec(String(expiresIn));
  if (!match) throw new TypeError(`expiresIn is seconds or like '90s', '10m', '1h', not ${expiresIn}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2]];
}

function base64url(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function segment(value) {
  return encodeURIComponent(String(value));
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { title: text.slice(0, 200) };
  }
}

function retryAfterMs(response) {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? Math.min(value, 30) * 1000 : 0;
}
