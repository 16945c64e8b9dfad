import type { ReactNode } from 'react';
import type { ConnectOptions, Delivery, Hub } from './realtime.js';
import type { EventOf, PresenceEvent, Topic, Viewer } from './types.js';
export type * from './types.js';

export function RealtimeProvider(props: { hub?: Hub; options?: ConnectOptions; children?: ReactNode }): JSX.Element;
export function useHub(): Hub;
export function setDefaultHub(hub: Hub | null): void;
export function useRealtime<T extends Topic>(
  topics: T | T[] | null | undefined,
  handler: (event: EventOf<T>, delivery: Delivery<T> | { topic: T }) => void,
  options?: { onResync?: (topic: T, event: EventOf<T>) => void },
): void;
export function usePresence(type: string | null | undefined, id: string | null | undefined): { viewers: Viewer[]; count: number };
export function applyPresence(
  state: { viewers: Viewer[]; count: number },
  event: PresenceEvent | EventOf<`trip/x/presence`>,
): { viewers: Viewer[]; count: number };
