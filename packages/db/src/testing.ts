import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from './database';

/**
 * The server tests, the bench and chaos use, with `database` as the URL's path: PG_TEST_URL (npm test
 * sets it to the embedded server when nothing answers on 5432), default the local server, trust auth.
 */
export function testServerUrl(database = 'postgres'): string {
  const url = new URL(process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database for one test file, so files run in parallel without sharing rows. */
export async function createTestDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = testServerUrl(`qc_test_${prefix}_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}
