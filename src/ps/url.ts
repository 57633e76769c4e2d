/**
 * The store's address: `redis://[user[:password]@]host:port`. The password may instead come from
 * ADAGRAD_PS_PASSWORD (so it stays out of shell histories and process lists); a password in the URL
 * wins. What is printed about a server is `label`: host and port only.
 */
import { StoreError } from './errors.js';

export interface StoreAddress {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  /** host:port, for messages: never the credentials. */
  label: string;
}

export const PASSWORD_VARIABLE = 'ADAGRAD_PS_PASSWORD';

export function parseStoreUrl(
  url: string,
  env: Readonly<Record<string, string | undefined>> = {},
): StoreAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(`--ps: '${redact(url)}' is not a URL; expected redis://[user:password@]host:port`);
  }
  if (parsed.protocol !== 'redis:') {
    throw new StoreError(
      `--ps: '${redact(url)}' is not a redis:// URL (got ${parsed.protocol.replace(/:$/, '')}://); expected redis://host:port`,
    );
  }
  if (parsed.hostname === '') throw new StoreError(`--ps: '${redact(url)}' names no host`);
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw new StoreError(
      `--ps: '${redact(url)}' has a path or query; models are chosen with --name, not a database number`,
    );
  }
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  const fromUrl = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const fromEnv = env[PASSWORD_VARIABLE];
  const password = fromUrl ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
  return { host, port, username, password, label: `${parsed.hostname}:${port}` };
}

/** The URL with any password replaced, for messages about a URL that did not parse. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
