import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * One id per purchase across processes (docs/operations.md §17): born at a Telegram update (gateway) or
 * at a Pakasir webhook (orders), sent on every call between our services in this header, kept in a
 * payment workflow's memo, and added to every log line written while it is current, so one search
 * finds every line of one purchase in every process.
 */
export const CORRELATION_HEADER = 'x-correlation-id';

/** What a caller may send: short, and nothing that could forge a log field or carry a secret's length. */
const VALID = /^[A-Za-z0-9._:-]{1,64}$/;

const storage = new AsyncLocalStorage<{ correlationId: string }>();

export const newCorrelationId = (): string => randomUUID();

export const isCorrelationId = (value: unknown): value is string =>
  typeof value === 'string' && VALID.test(value);

/** The id of the work this code runs for, if any. */
export const currentCorrelationId = (): string | undefined => storage.getStore()?.correlationId;

/** Runs `work` (and everything it starts) under `correlationId`. */
export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

/**
 * Every request runs under the caller's id (the header) or, without a valid one, a new one. A public
 * listener never takes the header (an outsider could pose as one of our purchases): a webhook's id is
 * born here. The answer names it, so a caller without one can still find the lines.
 */
export function correlationMiddleware(trustHeader: boolean): RequestHandler {
  return (req, res, next) => {
    const given = trustHeader ? req.headers[CORRELATION_HEADER] : undefined;
    const id = isCorrelationId(given) ? given : newCorrelationId();
    res.setHeader(CORRELATION_HEADER, id);
    withCorrelation(id, next);
  };
}

/** The header for an outgoing call, when there is a current id. */
export const correlationHeader = (): Record<string, string> => {
  const id = currentCorrelationId();
  return id ? { [CORRELATION_HEADER]: id } : {};
};
