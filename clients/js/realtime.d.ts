import type { EventOf, Topic, Viewer } from './types.js';
export type * from './types.js';

export type Status = 'idle' | 'connecting' | 'open' | 'paused' | 'closed';

export interface ConnectOptions {
  /** The hub's origin (and path prefix, if any). Defaults to the page's origin. */
  url?: string;
  /**
   * A subscriber token, or a function returning one (or a Promise of one). A function is called on
   * every connect, and again when the hub ends the stream with `token_expired`.
   */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
  /** Who is present on the presence topics subscribed (a token's `sub` takes precedence). */
  viewer?: string | { id: string; name?: string; avatarUrl?: string };
  /** A page hidden this long closes its stream, and resumes from its last id when visible. Defaults to 60000; `Infinity` never pauses. */
  pauseWhenHiddenMs?: number;
  /** A stream on which nothing (not even a heartbeat) arrives this long is broken and resumed. Defaults to 75000 (2.5 of the hub's 30 s heartbeats); `Infinity` never. */
  idleTimeoutMs?: number;
  /** Send cookies cross-origin (the `realtime_token` cookie). Defaults to false. */
  withCredentials?: boolean;
  /** Resume from this composite id on the first connect. */
  lastEventId?: string;
  /** Test seams: the fetch, document (visibility) and random source to use. */
  fetch?: typeof fetch;
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'> | null;
  random?: () => number;
}

export interface Delivery<T extends string = Topic> {
  /** The stream's composite cursor after this event. */
  id: string | undefined;
  topic: T;
}

export interface SubscribeOptions<T extends string = Topic> {
  /** Called instead of the handler when the hub says `resync` for one topic: reload that topic's state. */
  onResync?: (topic: T, event: EventOf<T>) => void;
}

export interface Subscription<T extends string = Topic> {
  readonly topics: T[];
  unsubscribe(): void;
}

export interface Hub {
  readonly url: string;
  readonly status: Status;
  readonly lastEventId: string | null;
  /** Why the hub last refused the stream for good (status `closed` until the subscriptions change). */
  readonly error: RealtimeStreamError | null;
  subscribe<T extends Topic>(
    topics: T | T[],
    handler: (event: EventOf<T>, delivery: Delivery<T>) => void,
    options?: SubscribeOptions<T>,
  ): Subscription<T>;
  onStatus(listener: (status: Status) => void): () => void;
  onError(listener: (error: Error) => void): () => void;
  close(): void;
}

export function connect(options?: ConnectOptions): Hub;

export class RealtimeStreamError extends Error {
  readonly status: number;
  readonly problem: { type?: string; title?: string; status?: number; detail?: string } | null;
}

export class SseParser {
  constructor(onFrame: (frame: { id?: string; data?: string; retry?: number }) => void);
  push(text: string): void;
}

export type { Viewer };
