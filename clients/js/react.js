// React hooks over one shared hub per page: a <RealtimeProvider> (or, without one, a module default
// hub on the page's origin). React is a peer dependency; this file adds nothing else.
import { createContext, createElement, useContext, useEffect, useRef, useState } from 'react';
import { connect } from './realtime.js';

const HubContext = createContext(null);
let defaultHub = null;

/** Gives its children one hub: `hub`, or one connected with `options` and closed on unmount. */
export function RealtimeProvider({ hub, options, children }) {
  const [own] = useState(() => (hub ? null : connect(options)));
  useEffect(() => (own ? () => own.close() : undefined), [own]);
  return createElement(HubContext.Provider, { value: hub || own }, children);
}

/** The provider's hub, or the page's default one (created on first use). */
export function useHub() {
  const hub = useContext(HubContext);
  if (hub) return hub;
  if (!defaultHub) defaultHub = connect();
  return defaultHub;
}

/** Replaces the module default hub (for pages without a provider); closes the previous one. */
export function setDefaultHub(hub) {
  if (defaultHub && defaultHub !== hub) defaultHub.close();
  defaultHub = hub;
}

/**
 * Calls `handler` with each event of `topics` while the component is mounted. The latest handler is
 * used without resubscribing; a change of the topics themselves resubscribes.
 */
export function useRealtime(topics, handler, options = {}) {
  const hub = useHub();
  const latest = useRef({ handler, onResync: options.onResync });
  latest.current = { handler, onResync: options.onResync };
  const list = typeof topics === 'string' ? [topics] : topics || [];
  const key = list.join('\n');
  useEffect(() => {
    if (list.length === 0) return undefined;
    const sub = hub.subscribe(list, (event, delivery) => latest.current.handler(event, delivery), {
      onResync: (topic, event) =>
        latest.current.onResync ? latest.current.onResync(topic, event) : latest.current.handler(event, { topic }),
    });
    return () => sub.unsubscribe();
    // `key` stands for `list`: a new array with the same topics must not resubscribe.
  }, [hub, key]); // eslint-disable-line react-hooks/exhaustive-deps
}

/** Who is viewing `type/id` now: `{ viewers, count }`, kept up to date from its presence topic. */
export function usePresence(type, id) {
  const [state, setState] = useState({ viewers: [], count: 0 });
  const topic = type && id ? `${type}/${id}/presence` : null;
  useEffect(() => setState({ viewers: [], count: 0 }), [topic]);
  useRealtime(topic ? [topic] : [], (event) => setState((current) => applyPresence(current, event)));
  return state;
}

/** One presence event applied to `{ viewers, count }` (exported for tests and custom stores). */
export function applyPresence(state, event) {
  switch (event.action) {
    case 'presence_snapshot':
      return { viewers: event.viewers, count: event.count };
    case 'viewer_joined':
      return {
        viewers: [...state.viewers.filter((v) => v.id !== event.viewer.id), event.viewer],
        count: event.count,
      };
    case 'viewer_left':
      return { viewers: state.viewers.filter((v) => v.id !== event.viewer.id), count: event.count };
    default:
      return state; // resync: the snapshot of the next connection restores the list
  }
}
