import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createPublisher, RealtimeError, signSubscriberToken } from '../../server.js';

/** A fake hub: answers each call with the next of `answers` (a status, or a function that throws). */
function fakeHub(...answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body && JSON.parse(init.body) });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (typeof answer === 'function') return answer();
    const [status, body, headers] = answer;
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
  };
  const publisher = createPublisher({ url: 'http://hub.test/', key: 'k1', fetch, sleep: async () => {} });
  return { calls, publisher };
}

const CREATED = [201, { id: 'e-1', topic: 't' }];

describe('publisher', () => {
  test('eachHelperPostsTheDesignNotesEventToItsChannel', async () => {
    const { calls, publisher: p } = fakeHub(CREATED);
    await p.publishComment('trip', '123', { id: 'c1', text: 'Hi' });
    await p.publishCommentEdit('trip', '123', { id: 'c1', text: 'Hey' });
    await p.publishCommentDelete('trip', '123', 'c1');
    await p.publishRating('location', 'tokyo', { average: 4.5, count: 10, extra: 'dropped' });
    await p.publishLike('post', '9', 'u1', 3);
    await p.publishLike('post', '9', 'u1', 2, false);
    await p.publishSave('blog', '7', 'u1', 1);
    await p.publishSave('blog', '7', 'u1', 0, false);
    await p.publishImageUpdate('trip', '123', 'uploaded', { id: 'i1', url: '/i1.jpg' });
    await p.publishImageUpdate('trip', '123', 'deleted', 'i1');
    assert.deepEqual(
      calls.map((c) => [c.method, c.url.replace('http://hub.test', ''), c.body]),
      [
        ['POST', '/api/publish/trip/123/comments', { action: 'new_comment', comment: { id: 'c1', text: 'Hi' } }],
        ['POST', '/api/publish/trip/123/comments', { action: 'comment_edited', comment: { id: 'c1', text: 'Hey' } }],
        ['POST', '/api/publish/trip/123/comments', { action: 'comment_deleted', commentId: 'c1' }],
        ['POST', '/api/publish/location/tokyo/rating', { action: 'rating_updated', rating: { average: 4.5, count: 10 } }],
        ['POST', '/api/publish/post/9/likes', { action: 'liked', userId: 'u1', count: 3 }],
        ['POST', '/api/publish/post/9/likes', { action: 'unliked', userId: 'u1', count: 2 }],
        ['POST', '/api/publish/blog/7/saves', { action: 'saved', userId: 'u1', count: 1 }],
        ['POST', '/api/publish/blog/7/saves', { action: 'unsaved', userId: 'u1', count: 0 }],
        ['POST', '/api/publish/trip/123/images', { action: 'image_uploaded', image: { id: 'i1', url: '/i1.jpg' } }],
        ['POST', '/api/publish/trip/123/images', { action: 'image_deleted', imageId: 'i1' }],
      ],
    );
    for (const c of calls) {
      assert.equal(c.headers.Authorization, 'Bearer k1');
      assert.equal(c.headers['Content-Type'], 'application/json');
      assert.match(c.headers['Idempotency-Key'], /^[0-9a-f-]{36}$/);
    }
    assert.equal(new Set(calls.map((c) => c.headers['Idempotency-Key'])).size, calls.length, 'one key per call');
  });

  test('presenceHelpersUseThePresenceApi', async () => {
    const { calls, publisher: p } = fakeHub([200, { viewers: [{ id: 'ann' }], count: 1, topic: 'trip/1/presence' }]);
    await p.trackViewer('trip', '1', 'ann', { name: 'Ann' });
    assert.deepEqual(await p.getActiveViewers('trip', '1'), { viewers: [{ id: 'ann' }], count: 1 });
    await p.removeViewer('trip', '1', 'a/b');
    assert.deepEqual(
      calls.map((c) => [c.method, c.url.replace('http://hub.test', ''), c.body]),
      [
        ['PUT', '/api/presence/trip/1/viewers/ann', { name: 'Ann' }],
        ['GET', '/api/presence/trip/1', undefined],
        ['DELETE', '/api/presence/trip/1/viewers/a%2Fb', undefined],
      ],
    );
  });

  test('aRetryOn503OrANetworkErrorReusesTheCallsIdempotencyKey', async () => {
    const down = () => {
      throw new TypeError('fetch failed');
    };
    const { calls, publisher } = fakeHub([503, { title: 'Store unavailable' }, { 'retry-after': '1' }], down, CREATED);
    assert.deepEqual(await publisher.publishLike('trip', '1', 'u', 1), { id: 'e-1', topic: 't' });
    assert.equal(calls.length, 3);
    assert.equal(new Set(calls.map((c) => c.headers['Idempotency-Key'])).size, 1);
  });

  test('afterItsRetriesTheLastFailureIsThrown', async () => {
    const { calls, publisher } = fakeHub([503, { status: 503, title: 'Store unavailable', type: 'urn:store' }]);
    const error = await publisher.publishLike('trip', '1', 'u', 1).catch((e) => e);
    assert.equal(calls.length, 3);
    assert.ok(error instanceof RealtimeError);
    assert.equal(error.status, 503);
  });

  test('aRefusalIsThrownWithTheProblemsStatusTypeAndTitleAndNotRetried', async () => {
    const problem = { type: 'https://event-hub.dev/problems/invalid-event', title: 'Invalid event', status: 422, detail: 'count must be an integer' };
    const { calls, publisher } = fakeHub([422, problem]);
    const error = await publisher.publishLike('trip', '1', 'u', 1.5).catch((e) => e);
    assert.ok(error instanceof RealtimeError);
    assert.equal(error.status, 422);
    assert.equal(error.type, problem.type);
    assert.equal(error.title, 'Invalid event');
    assert.equal(error.detail, 'count must be an integer');
    assert.equal(calls.length, 1);
  });

  test('aBadImageChangeIsATypeError', () => {
    const { publisher } = fakeHub(CREATED);
    assert.throws(() => publisher.publishImageUpdate('trip', '1', 'moved', 'i'), TypeError);
  });
});

describe('signSubscriberToken', () => {
  test('signsAnHs256JwtWithTopicsSubAndExpiry', () => {
    const secret = 'x'.repeat(32);
    const token = signSubscriberToken({ topics: ['blog/1/*'], sub: 'ann', expiresIn: '2m' }, secret);
    const [head, body, signature] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(head, 'base64url')), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(body, 'base64url'));
    assert.deepEqual(claims.topics, ['blog/1/*']);
    assert.equal(claims.sub, 'ann');
    assert.equal(claims.exp - claims.iat, 120);
    assert.equal(signature, createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url'));
  });

  test('expiresInIsSecondsOrAUnitString', () => {
    const claims = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url'));
    const t = claims(signSubscriberToken({ expiresIn: 5 }, 's'));
    assert.equal(t.exp - t.iat, 5);
    assert.throws(() => signSubscriberToken({ expiresIn: 'soon' }, 's'), TypeError);
  });
});
