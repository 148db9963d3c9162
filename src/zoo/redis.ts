/**
 * Where the zoo's queue lives: a Redis URL checked at the boundary. `redis://[user:password@]host[:port][/db]`
 * or `rediss://...` (TLS, verified against the system's certificate authorities); loopback is the
 * expected place (Redis has no business on an open network), a password and TLS are honoured as
 * the URL gives them. Messages and logs show the URL with the password replaced by `***`.
 */
import type { Redis } from 'ioredis';
import { InputError } from '../core/errors.js';

export const DEFAULT_QUEUE = 'factorlab-zoo';

export interface RedisTarget {
  url: string;
  /** The URL with any password hidden, for messages. */
  shown: string;
  tls: boolean;
  loopback: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseRedisUrl(text: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new InputError('--redis takes a URL such as redis://127.0.0.1:6379', {
      value: text,
      hint: 'redis://[:password@]host[:port][/db], or rediss:// for TLS',
    });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new InputError(`--redis: unsupported scheme ${u.protocol}`, {
      value: text.replace(/:[^:@/]*@/, ':***@'),
      hint: 'use redis:// or rediss:// (TLS)',
    });
  }
  if (u.hostname === '') throw new InputError('--redis: the URL names no host', { value: text, hint: 'e.g. redis://127.0.0.1:6379' });
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new InputError(`--redis: the database after the host must be a number, got "${db}"`, { hint: 'e.g. redis://127.0.0.1:6379/2' });
  const hidden = new URL(text);
  if (hidden.password !== '') hidden.password = '***';
  return { url: text, shown: hidden.toString(), tls: u.protocol === 'rediss:', loopback: LOOPBACK.has(u.hostname) };
}

/**
 * An ioredis connection for BullMQ (commands wait for a reconnect instead of failing: BullMQ's
 * requirement for workers). A lost connection is said once through `onNote` ("lost ...; waiting"),
 * and its return once more ("back"), instead of ioredis printing "Unhandled error event" on every
 * retry; without `onNote` the errors are silent (another connection of the same caller reports).
 */
export async function connectRedis(target: RedisTarget, onNote?: (line: string) => void): Promise<Redis> {
  const { Redis: Client } = await import('ioredis');
  const client = new Client(target.url, { maxRetriesPerRequest: null, ...(target.tls ? { tls: {} } : {}) });
  let lost = false;
  client.on('error', (e: Error) => {
    if (lost) return;
    lost = true;
    onNote?.(`lost the connection to Redis at ${target.shown} (${e.message}); waiting for it to come back`);
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    onNote?.(`Redis at ${target.shown} is back`);
  });
  return client;
}
