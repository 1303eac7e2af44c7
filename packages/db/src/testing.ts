import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from './database';

/**
 * A fresh database for one test file, so files run in parallel without sharing rows.
 * Base server from PG_TEST_URL (default: local trust auth).
 */
export async function createTestDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/qc_test_${prefix}_${randomBytes(4).toString('hex')}`;
  const url = base.toString();
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}
