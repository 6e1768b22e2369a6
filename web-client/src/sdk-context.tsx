import type { ClientState, Emitter, ImClient } from '@imw/shared/sdk';
import {
  createContext,
  type ReactNode,
  use,
  useCallback,
  useEffect,
  useEffectEvent,
  useMemo,
  useSyncExternalStore,
} from 'react';
import type { Connection, ConnectionStatus } from './lib/connection';

/**
 * One ImClient per page. It is created outside React (main.tsx) so that StrictMode's double
 * mount and any re-render can never open a second socket; components reach it through context.
 */
interface ClientContextValue {
  readonly client: ImClient;
  readonly connection: Connection;
}

const ClientContext = createContext<ClientContextValue | null>(null);

export function ClientProvider({
  client,
  connection,
  children,
}: ClientContextValue & { children: ReactNode }) {
  const value = useMemo(() => ({ client, connection }), [client, connection]);
  return <ClientContext value={value}>{children}</ClientContext>;
}

function useClientContext(): ClientContextValue {
  const ctx = use(ClientContext);
  if (!ctx) throw new Error('useClient() outside <ClientProvider>');
  return ctx;
}

export function useClient(): ImClient {
  return useClientContext().client;
}

export function useConnection(): Connection {
  return useClientContext().connection;
}

/** The SDK's connection state; re-renders on every change. */
export function useClientState(): ClientState {
  const client = useClient();
  const subscribe = useCallback((onChange: () => void) => client.on('state', onChange), [client]);
  // The SDK replaces the state object on every change, so it is a valid snapshot as is.
  return useSyncExternalStore(subscribe, () => client.state);
}

/** Reconnect bookkeeping (failures, next retry) for the connection badge. */
export function useConnectionStatus(): ConnectionStatus {
  const connection = useConnection();
  return useSyncExternalStore(connection.subscribe, connection.getStatus);
}

/** Every event the client emits, by name: protocol events plus `state` and `protocolError`. */
export type ClientEvents = ImClient['events'] extends Emitter<infer M> ? M : never;
export type ClientEventName = keyof ClientEvents;

/**
 * Subscribes to a client event for the component's lifetime. The handler always sees the
 * latest props and state without resubscribing (that is what useEffectEvent is for).
 */
export function useEvent<K extends ClientEventName>(
  name: K,
  handler: (value: ClientEvents[K]) => void,
): void {
  const client = useClient();
  const onEvent = useEffectEvent(handler);
  useEffect(() => client.on(name, (value) => onEvent(value)), [client, name]);
}
