// Compiled by `npm test` (tsc --noEmit): the .d.ts files type what the docs promise; each
// ts-expect-error line below must be an error, or the compile fails.
import { connect, type Hub, type LikeEvent, type CommentEvent, type PresenceEvent } from 'event-hub-realtime';
import { useRealtime, usePresence } from 'event-hub-realtime/react';
import { createPublisher, signSubscriberToken, RealtimeError } from 'event-hub-realtime/server';

const hub: Hub = connect({ url: 'https://hub.example', token: async () => 'jwt', viewer: { id: 'ann', name: 'Ann' } });

hub.subscribe('trip/1/likes', (event) => {
  if (event.action === 'resync') return;
  const like: LikeEvent = event; // a likes topic gives likes
  const count: number = like.count;
  void count;
});

hub.subscribe(['trip/1/comments', 'trip/1/presence'], (event, { topic }) => {
  if (event.action === 'new_comment') {
    const comment: CommentEvent = event;
    void comment.comment.id;
  }
  if (event.action === 'presence_snapshot') {
    const snapshot: PresenceEvent = event;
    void snapshot.viewers.length;
  }
  const t: 'trip/1/comments' | 'trip/1/presence' = topic;
  void t;
});

// @ts-expect-error: not a channel
hub.subscribe('trip/1/nonsense', () => {});
// @ts-expect-error: not an entity type
hub.subscribe('planet/1/likes', () => {});
hub.subscribe('trip/1/likes', (event) => {
  // @ts-expect-error: likes events have no comment
  void event.comment;
});
const status: 'idle' | 'connecting' | 'open' | 'paused' | 'closed' = hub.status;
void status;

export function Likes() {
  useRealtime(['trip/1/likes'], (event) => {
    if (event.action === 'liked') void event.userId;
  });
  const { viewers, count } = usePresence('trip', '1');
  return `${count} ${viewers.map((v) => v.name).join()}`;
}

const realtime = createPublisher({ url: 'http://hub', key: 'k' });
async function publishes() {
  const { id } = await realtime.publishComment('trip', '1', { id: 'c1', text: 'hi' });
  await realtime.publishLike('post', '1', 'u', 3, false);
  await realtime.publishImageUpdate('trip', '1', 'uploaded', { id: 'i1' });
  await realtime.publishImageUpdate('trip', '1', 'deleted', 'i1');
  // @ts-expect-error: a deletion names the image id, not an image
  await realtime.publishImageUpdate('trip', '1', 'deleted', { id: 'i1' });
  // @ts-expect-error: unknown entity type
  await realtime.publishRating('planet', '1', { average: 4, count: 1 });
  const { viewers, count } = await realtime.getActiveViewers('trip', '1');
  void [id, viewers, count];
  try {
    await realtime.removeViewer('trip', '1', 'ann');
  } catch (error) {
    if (error instanceof RealtimeError) void [error.status, error.type, error.title];
  }
}
void publishes;
void signSubscriberToken({ topics: ['blog/1/*'], sub: 'ann', expiresIn: '10m' }, 'secret');
