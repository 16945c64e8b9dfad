import type { Channel, Comment, EntityType, Image, Rating, Viewer } from './types.js';
export type * from './types.js';

export interface PublisherOptions {
  /** The hub's base URL, e.g. `http://event-hub:8080`. */
  url: string;
  /** A publish key (`realtime.publish-keys`). */
  key: string;
  /** Extra attempts on 503 and network errors, each with the call's one Idempotency-Key. Defaults to 2. */
  retries?: number;
  /** First back-off before a retry, doubling, jittered; at least the hub's Retry-After. Defaults to 250 ms. */
  retryDelayMs?: number;
  /** Longest back-off. Defaults to 5000 ms. */
  maxRetryDelayMs?: number;
  /** Each attempt's time limit. Defaults to 10000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** The hub's answer to a publish. */
export interface Published {
  id: string;
  topic: string;
}
export interface Tracked {
  topic: string;
  viewer: Viewer;
  joined: boolean;
  count: number;
}
export interface Removed {
  topic: string;
  viewer: Viewer;
  left: boolean;
  count: number;
}

export interface Publisher {
  publish(type: EntityType, id: string, channel: Channel, event: { action: string; [field: string]: unknown }): Promise<Published>;
  publishComment(type: EntityType, id: string, comment: Comment): Promise<Published>;
  publishCommentEdit(type: EntityType, id: string, comment: Comment): Promise<Published>;
  publishCommentDelete(type: EntityType, id: string, commentId: string): Promise<Published>;
  publishRating(type: EntityType, id: string, rating: Rating): Promise<Published>;
  publishLike(type: EntityType, id: string, userId: string, count: number, liked?: boolean): Promise<Published>;
  publishSave(type: EntityType, id: string, userId: string, count: number, saved?: boolean): Promise<Published>;
  publishImageUpdate(type: EntityType, id: string, change: 'uploaded', image: Image): Promise<Published>;
  publishImageUpdate(type: EntityType, id: string, change: 'deleted', imageId: string): Promise<Published>;
  trackViewer(type: EntityType, id: string, viewerId: string, display?: { name?: string; avatarUrl?: string; [field: string]: unknown }): Promise<Tracked>;
  getActiveViewers(type: EntityType, id: string): Promise<{ viewers: Viewer[]; count: number }>;
  removeViewer(type: EntityType, id: string, viewerId: string): Promise<Removed>;
}

export function createPublisher(options: PublisherOptions): Publisher;

/** A refusal by the hub, from its problem+json. */
export class RealtimeError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly problem: unknown;
}

/** expiresIn: seconds, or `'90s'`, `'10m'`, `'1h'`; defaults to 10 minutes. */
export function signSubscriberToken(
  claims: { topics?: string[]; sub?: string; expiresIn?: number | `${number}${'s' | 'm' | 'h'}` },
  secret: string,
): string;
