/**
 * One connection to the store, a single Redis server or a Redis Cluster (found out by asking the
 * server), through `@redis/client`, node-redis's core client (the `redis` package re-exports it and
 * adds the bloom, JSON, search and time-series commands, which the store never sends and which cost
 * each worker's start 0.05-0.1 s of CPU to load and attach): it routes each command by its key,
 * follows MOVED and ASK while a cluster reshards, pipelines concurrent commands, and reconnects
 * after a lost connection with our backoff. A connection that cannot be restored within the retries
 * fails every pending command with one StoreError naming the server.
 */
import { createClient, createCluster, RESP_TYPES, type RedisArgument } from '@redis/client';
import { StoreError } from './errors.js';
import type { StoreAddress } from './url.js';

/** Reconnection attempts after a lost or refused connection, 100 ms doubling to 1.6 s (~3 s in all). */
export const RETRIES = 5;
const backoff = (retry: number): number => Math.min(100 * 2 ** retry, 2000);
/**
 * A connection silent this long while a command waits is a lost server, not a slow one. A socket
 * timeout (one timer per connection, restarted by traffic) rather than a timeout per command: a
 * worker sends hundreds of commands per window, and a timer for each cost more than the update.
 */
const SILENCE_MS = 30_000;
/**
 * The client's own timeout per command (5 s unless told otherwise) is an AbortSignal.timeout with a
 * listener for every command: 5-8% of a worker's CPU in a cluster run (CPU profiles), and it would
 * call a push queued 5 s behind slow ones a lost connection. 0 sets none, leaving SILENCE_MS.
 */
const COMMAND_OPTIONS = { timeout: 0 } as const;

const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

export interface Connection {
  /** host:port of the address given, for messages. */
  readonly server: string;
  readonly cluster: boolean;
  /** One command on the server holding `key`. */
  send(key: string, args: RedisArgument[]): Promise<unknown>;
  /** The same, with bulk strings returned as Buffers (the weight blocks). */
  sendForBytes(key: string, args: RedisArgument[]): Promise<Buffer | null>;
  /** One command on every master (loading the functions). */
  onEveryMaster(args: RedisArgument[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function connect(address: StoreAddress): Promise<Connection> {
  let lastCause: unknown;
  const reconnectStrategy = (retries: number, cause: Error): number | Error => {
    lastCause = cause;
    if (retries >= RETRIES || isRefusal(cause)) return storeErrorFor(address, cause, retries);
    return backoff(retries);
  };
  const credentials = {
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
  };
  const socket = {
    host: address.host,
    port: address.port,
    reconnectStrategy,
    connectTimeout: 5000,
    socketTimeout: SILENCE_MS,
  };
  const single = createClient({ socket, commandOptions: COMMAND_OPTIONS, ...credentials });
  single.on('error', (error: unknown) => {
    lastCause = error;
  });
  try {
    await single.connect();
  } catch (error) {
    throw storeErrorFor(address, lastCause ?? error, RETRIES);
  }
  const info = await run(address, () => single.sendCommand(['INFO', 'cluster']));
  if (!/cluster_enabled:1/.test(String(info)))
    return singleConnection(address, single as unknown as SingleClient);
  await single.close();

  const cluster = createCluster({
    rootNodes: [{ socket: { host: address.host, port: address.port } }],
    commandOptions: COMMAND_OPTIONS,
    defaults: {
      socket: { reconnectStrategy, connectTimeout: 5000, socketTimeout: SILENCE_MS },
      ...credentials,
    },
  });
  cluster.on('error', (error: unknown) => {
    lastCause = error;
  });
  try {
    await cluster.connect();
  } catch (error) {
    throw storeErrorFor(address, lastCause ?? error, RETRIES);
  }
  return {
    server: address.label,
    cluster: true,
    send: (key, args) => run(address, () => cluster.sendCommand(key, false, args)),
    sendForBytes: (key, args) =>
      run(address, () => cluster.sendCommand<Buffer | null>(key, true, args, { typeMapping: BUFFERS })),
    onEveryMaster: (args) =>
      Promise.all(
        cluster.masters.map(async (master) => {
          const node = await cluster.nodeClient(master);
          return run(address, () => node.sendCommand(args));
        }),
      ),
    close: async () => {
      await cluster.close().catch(() => undefined);
    },
  };
}

/** What a connection needs of a single-server client. */
interface SingleClient {
  sendCommand<T>(args: readonly RedisArgument[], options?: { typeMapping?: typeof BUFFERS }): Promise<T>;
  close(): Promise<void>;
}

function singleConnection(address: StoreAddress, client: SingleClient): Connection {
  return {
    server: address.label,
    cluster: false,
    send: (_key, args) => run(address, () => client.sendCommand(args)),
    sendForBytes: (_key, args) =>
      run(address, () => client.sendCommand<Buffer | null>(args, { typeMapping: BUFFERS })),
    onEveryMaster: async (args) => [await run(address, () => client.sendCommand(args))],
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

/**
 * A command, with the client's failures turned into StoreErrors naming the server. A socket that
 * closed or went silent under the command is a lost connection (the client reconnects, and the
 * commands it had not yet written wait for that); the reconnection's own failure, after its
 * retries, arrives as the StoreError the reconnect strategy made.
 */
async function run<T>(address: StoreAddress, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const message = messageOf(error);
    if (/closed unexpectedly|ECONNRESET|EPIPE|timeout/i.test(message) && !/client is closed/i.test(message)) {
      throw new StoreError(
        `lost the connection to the parameter store at ${address.label}: ${message}`,
        true,
      );
    }
    throw storeErrorFor(address, error, RETRIES);
  }
}

function isRefusal(cause: unknown): boolean {
  return /WRONGPASS|NOAUTH|NOPERM/.test(messageOf(cause));
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code} ${error.message}`
      : error.message;
  }
  return String(error);
}

/** What went wrong, in one line naming the server (and never the password). */
export function storeErrorFor(address: StoreAddress, error: unknown, retries: number): StoreError {
  if (error instanceof StoreError) return error;
  const message = messageOf(error).split('\n')[0];
  const at = `the parameter store at ${address.label}`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return new StoreError(
      `${at} refused the login (wrong user or password; give them in the URL or ADAGRAD_PS_PASSWORD)`,
    );
  }
  if (/NOPERM/.test(message)) return new StoreError(`${at} denied a command to this user: ${message}`);
  if (
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|closed|Socket|timeout/i.test(message)
  ) {
    return new StoreError(`cannot reach ${at} after ${retries} retries: ${message}`);
  }
  return new StoreError(`${at}: ${message}`);
}
