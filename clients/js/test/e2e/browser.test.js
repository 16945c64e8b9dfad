// The browser client in headless Chromium against the packaged hub, loaded from the hub's own
// /realtime.js. Events are published by the Node helpers, as the app's server would.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createPublisher, signSubscriberToken } from '../../server.js';
import { clientPage, launchBrowser, setVisibility } from '../support/browser.js';
import { deleteRedisPrefix, startHub, TOKEN_SECRET, until } from '../support/hub.js';

let hub;
let browser;
let publisher;
const run = randomBytes(4).toString('hex');

before(async () => {
  hub = await startHub();
  publisher = createPublisher({ url: hub.url, key: hub.key });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await hub?.stop();
});

const received = (page, name) => page.evaluate((n) => window.received[n] || [], name);
const numbers = (events) => events.filter((e) => e.action === 'new_comment').map((e) => e.comment.n);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const streamRequests = (page) => {
  const urls = [];
  page.on('request', (r) => r.url().includes('/api/subscribe') && urls.push(r.url()));
  return urls;
};
async function publishComments(type, id, from, to) {
  for (let n = from; n <= to; n++) await publisher.publishComment(type, id, { id: `c${n}`, n });
}

describe('the browser client', () => {
  test('severalSubscriptionsShareOneConnection', async () => {
    const page = await clientPage(browser.context, hub);
    const requests = streamRequests(page);
    const id = `one-${run}`;
    await page.evaluate((id) => {
      window.hub = window.realtime.connect();
      window.hub.onStatus((s) => window.statuses.push(s));
      window.hub.subscribe(`trip/${id}/comments`, window.record('comments'));
      window.hub.subscribe([`trip/${id}/likes`, `trip/${id}/saves`], window.record('likesAndSaves'));
      window.hub.subscribe(`trip/${id}/likes`, window.record('likes'));
    }, id);
    await until('the stream to open', () => page.evaluate(() => window.hub.status === 'open'));
    await publisher.publishComment('trip', id, { id: 'c1', n: 1 });
    await publisher.publishLike('trip', id, 'u1', 1);
    await publisher.publishSave('trip', id, 'u1', 1);
    await until('every event', async () => (await received(page, 'likesAndSaves')).length === 2);
    await until('the comment', async () => (await received(page, 'comments')).length === 1);
    assert.deepEqual((await received(page, 'likes')).map((e) => e.action), ['liked']);
    assert.deepEqual((await received(page, 'likesAndSaves')).map((e) => e.channel), ['likes', 'saves']);
    assert.equal(requests.length, 1, `one stream request, saw ${requests.join(' ')}`);
    assert.deepEqual(new URL(requests[0]).searchParams.getAll('topic').sort(), [
      `trip/${id}/comments`,
      `trip/${id}/likes`,
      `trip/${id}/saves`,
    ]);
    assert.equal(await hub.metric('eventhub_streams_open'), 1, 'the hub holds one stream for the page');
    await page.close();
  });

  test('addingATopicWhileEventsFlowLosesNothing', async () => {
    const page = await clientPage(browser.context, hub);
    const id = `add-${run}`;
    await page.evaluate((id) => {
      window.hub = window.realtime.connect();
      window.hub.subscribe(`trip/${id}/comments`, window.record('comments'));
    }, id);
    await until('the stream to open', () => page.evaluate(() => window.hub.status === 'open'));
    const flowing = publishComments('trip', id, 1, 150);
    await until('some events', async () => (await received(page, 'comments')).length >= 20);
    await page.evaluate((id) => window.hub.subscribe(`trip/${id}/likes`, window.record('likes')), id);
    await until('the new stream', () => page.evaluate(() => window.hub.status === 'open'));
    await publisher.publishLike('trip', id, 'u1', 1);
    await flowing;
    await until('all 150 comments', async () => (await received(page, 'comments')).length >= 150);
    await until('the like', async () => (await received(page, 'likes')).length === 1);
    assert.deepEqual(numbers(await received(page, 'comments')), range(1, 150), 'each once, in order');
    await page.close();
  });

  test('aHiddenPagePausesItsStreamAndCatchesUpWhenVisible', async () => {
    const page = await clientPage(browser.context, hub);
    const id = `hidden-${run}`;
    await page.evaluate((id) => {
      window.hub = window.realtime.connect({ pauseWhenHiddenMs: 300 });
      window.hub.onStatus((s) => window.statuses.push(s));
      window.hub.subscribe(`trip/${id}/comments`, window.record('comments'));
    }, id);
    await until('the stream to open', () => page.evaluate(() => window.hub.status === 'open'));
    await publishComments('trip', id, 1, 3);
    await until('the first 3', async () => (await received(page, 'comments')).length === 3);
    await setVisibility(page, 'hidden');
    await until('the pause', () => page.evaluate(() => window.hub.status === 'paused'));
    await until('the hub to see the stream closed', async () => (await hub.metric('eventhub_streams_open')) === 0);
    await publishComments('trip', id, 4, 10);
    assert.equal((await received(page, 'comments')).length, 3, 'nothing arrives while paused');
    await setVisibility(page, 'visible');
    await until('the catch-up', async () => (await received(page, 'comments')).length >= 10);
    assert.deepEqual(numbers(await received(page, 'comments')), range(1, 10));
    assert.deepEqual(await page.evaluate(() => window.statuses), ['connecting', 'open', 'paused', 'connecting', 'open']);
    await page.close();
  });

  test('aTokenRefreshedAcrossItsExpiryLosesNothing', async () => {
    const page = await clientPage(browser.context, hub);
    const id = `token-${run}`;
    let minted = 0;
    // The app's server signs a 2-second token for its page: the stream outlives several.
    await page.exposeFunction('mintToken', () => {
      minted++;
      return signSubscriberToken({ topics: [`blog/${id}/*`], sub: `reader-${run}`, expiresIn: 2 }, TOKEN_SECRET);
    });
    await page.evaluate((id) => {
      window.hub = window.realtime.connect({ token: () => window.mintToken() });
      window.hub.subscribe(`blog/${id}/comments`, window.record('comments'));
    }, id);
    await until('the stream to open', () => page.evaluate(() => window.hub.status === 'open'));
    const deadline = Date.now() + 5_000;
    let n = 0;
    while (Date.now() < deadline) {
      n++;
      await publisher.publishComment('blog', id, { id: `c${n}`, n });
      await new Promise((ok) => setTimeout(ok, 50)); // a steady trickle, across at least two expiries
    }
    await until(`all ${n} comments`, async () => (await received(page, 'comments')).length >= n);
    assert.deepEqual(numbers(await received(page, 'comments')), range(1, n));
    assert.ok(minted >= 3, `the token was fetched again at each expiry (${minted} tokens)`);
    await page.close();
  });
});

describe('the browser client and a hub that dies', () => {
  let redisHub;
  const prefix = `e2e-${run}:`;
  after(async () => {
    await redisHub?.stop();
    await deleteRedisPrefix(prefix).catch(() => {});
  });

  test('aKilledAndRestartedHubIsReconnectedToWithNothingLost', async () => {
    const env = { REALTIME_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', REALTIME_REDIS_KEY_PREFIX: prefix };
    redisHub = await startHub({ env });
    const store = createPublisher({ url: redisHub.url, key: redisHub.key });
    const page = await clientPage(browser.context, redisHub);
    const id = `restart-${run}`;
    await page.evaluate((id) => {
      window.hub = window.realtime.connect();
      window.hub.onStatus((s) => window.statuses.push(s));
      window.hub.subscribe(`trip/${id}/comments`, window.record('comments'));
    }, id);
    await until('the stream to open', () => page.evaluate(() => window.hub.status === 'open'));
    for (let n = 1; n <= 3; n++) await store.publishComment('trip', id, { id: `c${n}`, n });
    await until('the first 3', async () => (await received(page, 'comments')).length === 3);
    await redisHub.kill();
    await until('the client to notice', () => page.evaluate(() => window.hub.status === 'connecting'));
    await redisHub.start(); // same port, same Redis
    // Published right after the restart, possibly before the client is back: it must replay them.
    for (let n = 4; n <= 6; n++) await store.publishComment('trip', id, { id: `c${n}`, n });
    await until('the reconnect', () => page.evaluate(() => window.hub.status === 'open'), 60_000);
    await until('all 6', async () => (await received(page, 'comments')).length >= 6);
    assert.deepEqual(numbers(await received(page, 'comments')), range(1, 6));
    await page.close();
  });
});

describe('the demo page', () => {
  test('twoDemoPagesSeeEachOthersCommentsAndViewers', async () => {
    const trip = `demo-${run}`;
    const open = async (name) => {
      const page = await browser.context.newPage();
      await page.goto(`${hub.url}/demo?trip=${trip}&name=${name}`);
      return page;
    };
    const text = (page, id) => page.textContent(`[data-testid="${id}"]`);
    const ann = await open('Ann');
    const bob = await open('Bob');
    for (const page of [ann, bob]) {
      await until('both viewers', async () => (await text(page, 'viewer-count')) === '2');
      const viewers = await text(page, 'viewers');
      assert.ok(viewers.includes('Ann') && viewers.includes('Bob'), viewers);
    }
    await ann.fill('[data-testid="comment-form"] textarea', 'Hello from Ann');
    await ann.click('[data-testid="comment-form"] button[type="submit"]');
    await until("Ann's comment on Bob's page", async () => (await text(bob, 'comments')).includes('Hello from Ann'));
    await bob.click('[data-testid="like"]');
    await until("Bob's like on Ann's page", async () => (await text(ann, 'like-count')) === '1');
    await bob.click('[data-testid="rate-4"]');
    await until("Bob's rating on Ann's page", async () => (await text(ann, 'rating-count')) === '1');
    await bob.close();
    await until('Bob gone from Ann\'s page', async () => (await text(ann, 'viewer-count')) === '1');
    const late = await open('Cy');
    await until("the earlier comment on a page opened later", async () =>
      (await text(late, 'comments')).includes('Hello from Ann'));
    await ann.close();
    await late.close();
  });
});
