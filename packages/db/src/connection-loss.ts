import { createLogger } from '@quickcart/kit';

/** What a pool needs of a logger; kit's Logger is one. */
export interface PoolLogger {
  warn: (message: string, meta?: object) => unknown;
}

/**
 * SQLSTATEs of a connection PostgreSQL ended or never finished: class 08 (connection exception) and the
 * operator-intervention ones a restart, a failover or pg_terminate_backend sends.
 */
const LOST_CODES = /^(08...|57P01|57P02|57P03)$/;
/** What the driver says when the socket went away without a word from the server. */
const LOST_MESSAGES = /Connection terminated unexpectedly|is not queryable/;
const LOST_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** True when `error` (from pg, or wrapped by Sequelize) says the connection was lost, not the statement refused. */
export function isConnectionLost(error: unknown): boolean {
  const layers = [error, (error as { original?: unknown })?.original] as {
    code?: unknown;
    message?: unknown;
  }[];
  return layers.some(
    (e) =>
      (typeof e?.code === 'string' && (LOST_CODES.test(e.code) || LOST_ERRNOS.has(e.code))) ||
      (typeof e?.message === 'string' && LOST_MESSAGES.test(e.message)),
  );
}

/**
 * The 'error' listener every pool needs. PostgreSQL ending an idle connection is an 'error' event on
 * it, and an 'error' event without a listener ends the process: one blip would stop the shop.
 * The pool has already let that connection go and opens a new one for the next query: a warning does.
 * Without a logger of the caller's, one named after the pool (kit's, so LOG_LEVEL applies).
 */
export function warnConnectionLost(
  pool: string,
  logger: PoolLogger = createLogger(pool),
): (error: Error) => void {
  // The message and SQLSTATE say it all; the stack would be the driver's parser.
  return (error) =>
    logger.warn('database connection lost', {
      pool,
      error: error.message,
      code: (error as { code?: unknown }).code,
    });
}

/**
 * Runs `query`, and once more (the pool hands out another connection) if its connection was lost.
 * Only for a statement that does the same when run twice: a read, or a write an idempotency key makes
 * land once. The first try may have run before the connection went.
 */
export async function onceMoreIfConnectionLost<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    return query();
  }
}
