// The Node.js helpers against the packaged hub (no browser).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPublisher, RealtimeError, signSubscriberToken } from '../../server.js';
import { startHub, TOKEN_SECRET } from '../support/hub.js';

let hub;
let publisher;
const id = `pub-${Date.now().toString(36)}`;

before(async () => {
  hub = await startHub();
  publisher = createPublisher({ url: hub.url, key: hub.key });
});
after(() => hub?.stop());

async function history(topic, headers = {}) {
  const res = await fetch(`${hub.url}/api/history/${topic}`, { headers });
  return { status: res.status, body: await res.json() };
}

describe('the publisher against a running hub', () => {
  test('everyHelperPublishesAnEventTheHubAcceptsAndStores', async () => {
    const answers = [
      await publisher.publishComment('trip', id, { id: 'c1', text: 'Lovely' }),
      await publisher.publishCommentEdit('trip', id, { id: 'c1', text: 'Lovely!' }),
      await publisher.publishCommentDelete('trip', id, 'c1'),
      await publisher.publishRating('trip', id, { average: 4.5, count: 2 }),
      await publisher.publishLike('trip', id, 'u1', 1),
      await publisher.publishLike('trip', id, 'u1', 0, false),
      await publisher.publishSave('trip', id, 'u1', 1),
      await publisher.publishSave('trip', id, 'u1', 0, false),
      await publisher.publishImageUpdate('trip', id, 'uploaded', { id: 'i1', url: '/i1.jpg' }),
      await publisher.publishImageUpdate('trip', id, 'deleted', 'i1'),
    ];
    for (const answer of answers) assert.match(answer.id, /^[0-9a-z]+-\d+$/);
    const actions = async (channel) =>
      (await history(`trip/${id}/${channel}`)).body.events.map((e) => e.data.action);
    assert.deepEqual(await actions('comments'), ['new_comment', 'comment_edited', 'comment_deleted']);
    assert.deepEqual(await actions('rating'), ['rating_updated']);
    assert.deepEqual(await actions('likes'), ['liked', 'unliked']);
    assert.deepEqual(await actions('saves'), ['saved', 'unsaved']);
    assert.deepEqual(await actions('images'), ['image_uploaded', 'image_deleted']);
    const [, stored] = (await history(`trip/${id}/images`)).body.events.map((e) => e.data);
    assert.equal(stored.imageId, 'i1');
  });

  test('presenceHelpersTrackListAndRemoveAViewer', async () => {
    const tracked = await publisher.trackViewer('trip', id, 'ann', { name: 'Ann' });
    assert.equal(tracked.joined, true);
    assert.deepEqual(tracked.viewer, { id: 'ann', name: 'Ann' });
    assert.deepEqual(await publisher.getActiveViewers('trip', id), { viewers: [{ id: 'ann', name: 'Ann' }], count: 1 });
    const removed = await publisher.removeViewer('trip', id, 'ann');
    assert.equal(removed.left, true);
    assert.equal((await publisher.getActiveViewers('trip', id)).count, 0);
  });

  test('theHubsRefusalsAreThrownWithTheirProblemDetails', async () => {
    const wrongKey = createPublisher({ url: hub.url, key: 'not-a-key' });
    const unauthorized = await wrongKey.publishLike('trip', id, 'u', 1).catch((e) => e);
    assert.ok(unauthorized instanceof RealtimeError);
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.type, 'urn:event-hub:problem:invalid-publish-key');
    assert.equal(unauthorized.title, 'Invalid publish key');
    const invalid = await publisher.publishLike('trip', id, 'u', 1.5).catch((e) => e);
    assert.equal(invalid.status, 422);
    assert.equal(invalid.type, 'urn:event-hub:problem:invalid-field');
    const unknown = await publisher.publishRating('planet', id, { average: 1, count: 1 }).catch((e) => e);
    assert.equal(unknown.status, 404);
  });

  test('aRetryAfterALostAnswerReachesTheHubWithTheSameIdempotencyKey', async () => {
    // The first attempt reaches the hub but its answer is "lost"; the helper tries again.
    const seen = [];
    let first = true;
    const losing = createPublisher({
      url: hub.url,
      key: hub.key,
      retryDelayMs: 1,
      fetch: async (url, init) => {
        seen.push(init.headers['Idempotency-Key']);
        const response = await fetch(url, init);
        if (first) {
          first = false;
          throw new TypeError('fetch failed: connection reset');
        }
        return response;
      },
    });
    const answer = await losing.publishComment('trip', `${id}-retry`, { id: 'r1' });
    assert.match(answer.id, /-\d+$/);
    assert.equal(seen.length, 2);
    assert.equal(seen[0], seen[1]);
  });

  test('aSignedSubscriberTokenOpensAPrivateTopic', async () => {
    await publisher.publishComment('blog', id, { id: 'b1' });
    assert.equal((await history(`blog/${id}/comments`)).status, 401);
    const token = signSubscriberToken({ topics: [`blog/${id}/*`], sub: 'ann', expiresIn: 60 }, TOKEN_SECRET);
    const granted = await history(`blog/${id}/comments`, { Authorization: `Bearer ${token}` });
    assert.equal(granted.status, 200);
    assert.equal(granted.body.events.length, 1);
    const other = signSubscriberToken({ topics: ['blog/other/*'], expiresIn: 60 }, TOKEN_SECRET);
    assert.equal((await history(`blog/${id}/comments`, { Authorization: `Bearer ${other}` })).status, 403);
  });
});
