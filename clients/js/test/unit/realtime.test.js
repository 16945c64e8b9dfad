import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { connect, SseParser } from '../../realtime.js';
import { FakeDocument, FakeHubServer, settle } from '../support/fake-fetch.js';

let server;
let doc;
let hub;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  server = new FakeHubServer();
  doc = new FakeDocument();
});

afterEach(() => {
  hub?.close();
  mock.timers.reset();
});

function open(options = {}) {
  hub = connect({ url: 'http://hub.test/', fetch: server.fetch, document: doc, random: () => 0.5, ...options });
  return hub;
}

/** Runs the zero-delay reconnect a subscribe() schedules, then lets the fetch settle. */
async function tickAndSettle(ms = 0) {
  mock.timers.tick(ms);
  await settle();
}

describe('one stream for every subscription', () => {
  test('subscriptionsMadeTogetherShareOneConnectionWithEveryTopic', async () => {
    open();
    hub.subscribe(['trip/1/comments', 'trip/1/likes'], () => {});
    hub.subscribe('trip/1/likes', () => {});
    hub.subscribe('trip/1/presence', () => {});
    await tickAndSettle();
    assert.equal(server.connections.length, 1);
    const c = server.connections[0];
    assert.equal(c.url.origin + c.url.pathname, 'http://hub.test/api/subscribe');
    assert.deepEqual(c.topics, ['trip/1/comments', 'trip/1/likes', 'trip/1/presence']);
    assert.equal(c.headers.Accept, 'text/event-stream');
    assert.equal(c.headers['Last-Event-ID'], undefined);
  });

  test('eachHandlerGetsTheEventsOfItsOwnTopicsOnly', async () => {
    open();
    const comments = [];
    const likes = [];
    hub.subscribe('trip/1/comments', (e) => comments.push(e));
    hub.subscribe(['trip/1/likes', 'trip/1/comments'], (e, d) => likes.push([e.action, d.topic, d.id]));
    await tickAndSettle();
    const c = server.connections[0].accept();
    await settle();
    assert.equal(hub.status, 'open');
    c.event('c1', 'trip/1/comments', { action: 'new_comment', comment: { id: 'x' } });
    c.event('c2', 'trip/1/likes', { action: 'liked', userId: 'u', count: 1 });
    c.event('c3', 'trip/2/likes', { action: 'liked', userId: 'u', count: 1 });
    await settle();
    assert.deepEqual(comments.map((e) => e.comment.id), ['x']);
    assert.equal(comments[0].entityType, 'trip');
    assert.deepEqual(likes, [
      ['new_comment', 'trip/1/comments', 'c1'],
      ['liked', 'trip/1/likes', 'c2'],
    ]);
    assert.equal(hub.lastEventId, 'c3');
  });

  test('addingATopicReconnectsFromTheLastCompositeIdAndDropsTheOldStream', async () => {
    open();
    const seen = [];
    hub.subscribe('trip/1/comments', (e) => seen.push(e.n));
    await tickAndSettle();
    const first = server.connections[0].accept();
    first.write(':\nid:pos-0\n\n');
    first.event('pos-1', 'trip/1/comments', { action: 'new_comment', n: 1 });
    await settle();
    hub.subscribe('trip/1/likes', (e) => seen.push(e.n));
    await tickAndSettle();
    assert.equal(first.aborted, true);
    const second = await server.connection(1);
    assert.deepEqual(second.topics, ['trip/1/comments', 'trip/1/likes']);
    assert.equal(second.headers['Last-Event-ID'], 'pos-1');
    assert.equal(server.open.length, 1);
  });

  test('unsubscribingTheLastTopicClosesTheStreamAndGoesIdle', async () => {
    open();
    const sub = hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].accept();
    await settle();
    sub.unsubscribe();
    await tickAndSettle();
    assert.equal(server.connections[0].aborted, true);
    assert.equal(hub.status, 'idle');
    assert.equal(server.connections.length, 1);
  });

  test('theOpeningPositionFrameSetsTheCursorWithoutCallingHandlers', async () => {
    open();
    const seen = [];
    hub.subscribe('trip/1/comments', (e) => seen.push(e));
    await tickAndSettle();
    server.connections[0].accept().write('retry:2000\n\n:\nid:k3-0.k4-9\n\n: heartbeat\n\n');
    await settle();
    assert.deepEqual(seen, []);
    assert.equal(hub.lastEventId, 'k3-0.k4-9');
  });

  test('aResyncGoesToOnResyncOfThatTopicOnly', async () => {
    open();
    const resyncs = [];
    const events = [];
    hub.subscribe('trip/1/comments', (e) => events.push(e.action), { onResync: (t, e) => resyncs.push([t, e.reason]) });
    hub.subscribe('trip/1/likes', (e) => events.push(e.action), { onResync: (t) => resyncs.push([t]) });
    hub.subscribe('trip/1/likes', (e) => events.push(`plain ${e.action}`));
    await tickAndSettle();
    server.connections[0].accept().event('r1', 'trip/1/comments', { action: 'resync', reason: 'trimmed' });
    await settle();
    assert.deepEqual(resyncs, [['trip/1/comments', 'trimmed']]);
    assert.deepEqual(events, []);
    server.connections[0].event('r2', 'trip/1/likes', { action: 'resync', reason: 'epoch' });
    await settle();
    assert.deepEqual(resyncs, [['trip/1/comments', 'trimmed'], ['trip/1/likes']]);
    assert.deepEqual(events, ['plain resync'], 'a subscription without onResync gets the resync as an event');
  });

  test('aThrowingHandlerDoesNotKeepTheEventFromTheOthers', async (t) => {
    const reported = [];
    const original = globalThis.reportError;
    globalThis.reportError = (error) => reported.push(error.message);
    t.after(() => (globalThis.reportError = original));
    open();
    const seen = [];
    hub.subscribe('trip/1/likes', () => {
      throw new Error('boom');
    });
    hub.subscribe('trip/1/likes', (e) => seen.push(e.count));
    await tickAndSettle();
    server.connections[0].accept().event('a', 'trip/1/likes', { action: 'liked', userId: 'u', count: 3 });
    await settle();
    assert.deepEqual(seen, [3]);
    assert.deepEqual(reported, ['boom']);
  });

  test('theViewerIsSentSoItIsPresentOnPresenceTopics', async () => {
    open({ viewer: { id: 'ann', name: 'Ann', avatarUrl: 'https://a.test/ann.png' } });
    hub.subscribe('trip/1/presence', () => {});
    await tickAndSettle();
    const q = server.connections[0].url.searchParams;
    assert.equal(q.get('viewer'), 'ann');
    assert.equal(q.get('name'), 'Ann');
    assert.equal(q.get('avatarUrl'), 'https://a.test/ann.png');
  });

  test('aTopicThatIsNotTypeIdChannelIsRefusedAtOnce', () => {
    open();
    assert.throws(() => hub.subscribe('trip/1', () => {}), TypeError);
    assert.throws(() => hub.subscribe('trip/1/comments&topic=x/y/z', () => {}), TypeError);
  });
});

describe('tokens', () => {
  test('aTokenFunctionIsCalledOnEveryConnectAndSentAsBearer', async () => {
    let n = 0;
    open({ token: async () => `t${++n}` });
    hub.subscribe('blog/1/comments', () => {});
    await tickAndSettle();
    assert.equal(server.connections[0].headers.Authorization, 'Bearer t1');
    assert.equal(server.connections[0].url.searchParams.get('token'), null, 'the token stays out of the URL');
    hub.subscribe('blog/1/likes', () => {});
    await tickAndSettle();
    assert.equal((await server.connection(1)).headers.Authorization, 'Bearer t2');
  });

  test('tokenExpiredReconnectsAtOnceWithAFreshTokenFromTheLastId', async () => {
    let n = 0;
    open({ token: () => `t${++n}` });
    const seen = [];
    hub.subscribe('blog/1/comments', (e) => seen.push(e.action));
    await tickAndSettle();
    const first = server.connections[0].accept();
    first.event('e-5', 'blog/1/comments', { action: 'new_comment', comment: { id: 'a' } });
    first.write('data:{"action":"token_expired","entityType":"blog","entityId":"1","channel":"comments"}\n\n');
    await settle();
    const second = await server.connection(1);
    assert.equal(second.headers.Authorization, 'Bearer t2');
    assert.equal(second.headers['Last-Event-ID'], 'e-5');
    assert.deepEqual(seen, ['new_comment'], 'token_expired is the hub talking to the client, not an event');
  });

  test('a401WithAFixedTokenGivesUpButWithATokenFunctionRetries', async () => {
    open({ token: 'fixed' });
    const errors = [];
    hub.onError((e) => errors.push(e.status));
    hub.subscribe('blog/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].refuse(401);
    await settle();
    assert.equal(hub.status, 'closed');
    assert.equal(hub.error.status, 401);
    assert.deepEqual(errors, [401]);
    hub.close();

    server = new FakeHubServer();
    open({ token: () => 'fresh' });
    hub.subscribe('blog/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].refuse(401);
    await settle();
    assert.equal(hub.status, 'connecting');
    await tickAndSettle(1000);
    assert.equal(server.connections.length, 2);
  });
});

describe('reconnecting', () => {
  test('aBrokenStreamIsRetriedWithJitteredExponentialBackOffFromTheServersRetry', async () => {
    open();
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].accept().write('retry:2000\nid:a-1\n\n');
    await settle();
    server.connections[0].breakOff();
    await settle();
    assert.equal(hub.status, 'connecting');
    // random() = 0.5: the delay is 3/4 of 2000 * 2^(attempt-1)
    await tickAndSettle(1499);
    assert.equal(server.connections.length, 1);
    await tickAndSettle(1);
    assert.equal(server.connections.length, 2);
    assert.equal(server.connections[1].headers['Last-Event-ID'], 'a-1');
    server.connections[1].failNetwork();
    await settle();
    await tickAndSettle(2999);
    assert.equal(server.connections.length, 2);
    await tickAndSettle(1);
    assert.equal(server.connections.length, 3);
    server.connections[2].failNetwork();
    await settle();
    await tickAndSettle(6000);
    assert.equal(server.connections.length, 4, 'third retry after 3/4 of 8000');
    server.connections[3].accept();
    await settle();
    assert.equal(hub.status, 'open');
    server.connections[3].breakOff();
    await settle();
    await tickAndSettle(1500);
    assert.equal(server.connections.length, 5, 'an open stream resets the back-off');
  });

  test('theBackOffNeverExceedsThirtySeconds', async () => {
    open({ random: () => 0.999 });
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    for (let i = 0; i < 8; i++) {
      server.connections[i].failNetwork();
      await settle();
      await tickAndSettle(30_000);
      assert.equal(server.connections.length, i + 2);
    }
  });

  test('aStreamTheHubEndsIsResumedAfterItsRetryHint', async () => {
    open();
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    const first = server.connections[0].accept();
    first.write('id:x-3\n\nretry:4321\n\n');
    first.end();
    await settle();
    await tickAndSettle(4320);
    assert.equal(server.connections.length, 1);
    await tickAndSettle(1);
    assert.equal(server.connections[1].headers['Last-Event-ID'], 'x-3');
  });

  test('a503WaitsAtLeastItsRetryAfter', async () => {
    open();
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].refuse(503, { title: 'Full' }, { 'retry-after': '7' });
    await settle();
    await tickAndSettle(6999);
    assert.equal(server.connections.length, 1);
    await tickAndSettle(1);
    assert.equal(server.connections.length, 2);
  });

  test('aRefusalThatRetryingCannotFixClosesUntilTheTopicsChange', async () => {
    open();
    const bad = hub.subscribe('trip/1/nonsense', () => {});
    await tickAndSettle();
    server.connections[0].refuse(404, { title: 'Unknown channel', status: 404, type: 'urn:x' });
    await settle();
    assert.equal(hub.status, 'closed');
    assert.equal(hub.error.problem.title, 'Unknown channel');
    await tickAndSettle(60_000);
    assert.equal(server.connections.length, 1);
    bad.unsubscribe();
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    assert.equal(server.connections.length, 2);
  });

  test('aStreamSilentForIdleTimeoutMsIsBrokenAndResumedButHeartbeatsKeepItAlive', async () => {
    open({ idleTimeoutMs: 75_000 });
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    const first = server.connections[0].accept();
    first.write('retry:2000\nid:s-1\n\n');
    await settle();
    for (let i = 0; i < 4; i++) {
      await tickAndSettle(30_000);
      first.write(':\n\n'); // the hub's heartbeat
      await settle();
    }
    assert.equal(first.aborted, false, 'heartbeats keep a quiet stream open');
    await tickAndSettle(75_000);
    assert.equal(first.aborted, true);
    assert.equal(hub.status, 'connecting');
    await tickAndSettle(1_500);
    assert.equal((await server.connection(1)).headers['Last-Event-ID'], 's-1');
  });

  test('statusListenersSeeEveryChange', async () => {
    open();
    const statuses = [];
    hub.onStatus((s) => statuses.push(s));
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].accept();
    await settle();
    hub.close();
    assert.deepEqual(statuses, ['connecting', 'open', 'closed']);
  });
});

describe('hidden pages', () => {
  test('aPageHiddenForPauseWhenHiddenMsClosesItsStreamAndResumesWhenVisible', async () => {
    open({ pauseWhenHiddenMs: 10_000 });
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].accept().write('id:h-1\n\n');
    await settle();
    doc.setVisibility('hidden');
    await tickAndSettle(9_999);
    assert.equal(hub.status, 'open');
    await tickAndSettle(1);
    assert.equal(hub.status, 'paused');
    assert.equal(server.connections[0].aborted, true);
    hub.subscribe('trip/1/likes', () => {});
    await tickAndSettle(60_000);
    assert.equal(server.connections.length, 1, 'a paused hub does not connect, even for a new topic');
    doc.setVisibility('visible');
    await settle();
    const resumed = await server.connection(1);
    assert.equal(resumed.headers['Last-Event-ID'], 'h-1');
    assert.deepEqual(resumed.topics, ['trip/1/comments', 'trip/1/likes']);
  });

  test('aPageShownAgainBeforeTheDelayKeepsItsStream', async () => {
    open({ pauseWhenHiddenMs: 10_000 });
    hub.subscribe('trip/1/comments', () => {});
    await tickAndSettle();
    server.connections[0].accept();
    await settle();
    doc.setVisibility('hidden');
    await tickAndSettle(5_000);
    doc.setVisibility('visible');
    await tickAndSettle(20_000);
    assert.equal(hub.status, 'open');
    assert.equal(server.connections.length, 1);
  });
});

describe('SseParser', () => {
  function parse(...chunks) {
    const frames = [];
    const parser = new SseParser((f) => frames.push(f));
    for (const chunk of chunks) parser.push(chunk);
    return frames;
  }

  test('readsIdDataAndRetryAcrossChunksAndLineEndings', () => {
    assert.deepEqual(parse('id: 1\r', '\ndata: {"a":\r\ndata: 1}\r\rretry: 500\n\n'), [
      { id: '1', data: '{"a":\n1}' },
      { retry: 500 },
    ]);
  });

  test('commentsAndUnknownFieldsAreIgnoredAndABlankFrameIsNotDispatched', () => {
    assert.deepEqual(parse(':hb\n\n\n\nfoo: bar\n\nid\n\n'), [{ id: '' }]);
  });

  test('aFrameWithAnIdOnlyMovesTheCursor', () => {
    assert.deepEqual(parse(':\nid:k-0\n\ndata:x\n\n'), [{ id: 'k-0' }, { data: 'x' }]);
  });
});
