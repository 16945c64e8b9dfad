import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createElement } from 'react';
import TestRenderer from 'react-test-renderer';
import { RealtimeProvider, usePresence, useRealtime } from '../../react.js';
import { connect } from '../../realtime.js';
import { FakeDocument, FakeHubServer, settle } from '../support/fake-fetch.js';

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
const { act } = TestRenderer;
let hub;
afterEach(() => hub?.close());

function setup() {
  const server = new FakeHubServer();
  hub = connect({ url: 'http://hub.test', fetch: server.fetch, document: new FakeDocument() });
  return server;
}

test('usePresenceFollowsTheSnapshotAndJoinsAndLeaves', async () => {
  const server = setup();
  const seen = [];
  function Viewers() {
    const { viewers, count } = usePresence('trip', '1');
    seen.push(`${count}:${viewers.map((v) => v.id).join(',')}`);
    return null;
  }
  let renderer;
  await act(async () => {
    renderer = TestRenderer.create(createElement(RealtimeProvider, { hub }, createElement(Viewers)));
    await new Promise((r) => setTimeout(r, 5));
    await settle();
  });
  const c = server.connections[0].accept();
  const presence = (action, fields) => c.event(action, 'trip/1/presence', { action, ...fields });
  await act(async () => {
    presence('presence_snapshot', { viewers: [{ id: 'ann' }], count: 1 });
    presence('viewer_joined', { viewer: { id: 'bob' }, count: 2 });
    presence('viewer_joined', { viewer: { id: 'bob' }, count: 2 });
    await settle();
  });
  await act(async () => {
    presence('viewer_left', { viewer: { id: 'ann' }, count: 1 });
    await settle();
  });
  assert.equal(seen.at(-1), '1:bob');
  assert.ok(seen.includes('2:ann,bob'));
  await act(async () => renderer.unmount());
  await act(async () => {
    await new Promise((r) => setTimeout(r, 5));
  });
  assert.equal(c.aborted, true, 'unmounting the last user closes the stream');
  assert.equal(hub.status, 'idle');
});

test('useRealtimeUsesTheLatestHandlerAndOneStreamForAllComponents', async () => {
  const server = setup();
  const calls = [];
  function Listener({ topic, label }) {
    useRealtime([topic], (e) => calls.push(`${label}:${e.action}`));
    return null;
  }
  let renderer;
  const tree = (label) =>
    createElement(RealtimeProvider, { hub }, [
      createElement(Listener, { key: 'a', topic: 'trip/1/likes', label }),
      createElement(Listener, { key: 'b', topic: 'trip/1/comments', label: 'comments' }),
    ]);
  await act(async () => {
    renderer = TestRenderer.create(tree('first'));
    await new Promise((r) => setTimeout(r, 5));
    await settle();
  });
  assert.equal(server.connections.length, 1);
  assert.deepEqual(server.connections[0].topics, ['trip/1/comments', 'trip/1/likes']);
  await act(async () => renderer.update(tree('second')));
  const c = server.connections[0].accept();
  await act(async () => {
    c.event('1', 'trip/1/likes', { action: 'liked', userId: 'u', count: 1 });
    c.event('2', 'trip/1/comments', { action: 'new_comment', comment: { id: 'c' } });
    await settle();
  });
  assert.deepEqual(calls, ['second:liked', 'comments:new_comment']);
  assert.equal(server.connections.length, 1, 'a new handler does not resubscribe');
  await act(async () => renderer.unmount());
});
