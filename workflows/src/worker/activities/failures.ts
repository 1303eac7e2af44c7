import { DomainError, isRetryable } from '@quickcart/kit';
import { ApplicationFailure } from '@temporalio/activity';

/**
 * Business refusals end a step for good (no retry); outages are retried with backoff. This is the one
 * place where a service's answer becomes one or the other.
 */
import { CATALOG_REFUSAL } from '@quickcart/catalog/contract';
import { NOTIFY_REASONS } from '@quickcart/notify';
import { ORDERS_REFUSAL } from '@quickcart/orders/contract';
import { FAILURE } from '@quickcart/workflow-api';

export { FAILURE };

const BY_REASON: Record<string, string> = {
  [CATALOG_REFUSAL.outOfStock]: FAILURE.outOfStock,
  [ORDERS_REFUSAL.insufficientBalance]: FAILURE.insufficientBalance,
  [NOTIFY_REASONS.botBlocked]: FAILURE.botBlocked,
};

export function asActivityFailure(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error; // unknown: let Temporal retry it
  if (isRetryable(error)) {
    const retryAfter = Number(error.details?.retryAfterSeconds);
    // Telegram's 429 says when to come back; anything else backs off as the retry policy says.
    return Number.isFinite(retryAfter) && retryAfter > 0
      ? ApplicationFailure.create({
          message: error.message,
          type: 'RateLimited',
          nextRetryDelay: `${retryAfter}s`,
        })
      : error;
  }
  return ApplicationFailure.nonRetryable(error.message, BY_REASON[error.reason] ?? FAILURE.refused, {
    reason: error.reason,
    ...error.details,
  });
}

/** Wraps every activity of an object so its errors are classified on the way out. */
export function classified<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (error) {
          throw asActivityFailure(error);
        }
      },
    ]),
  ) as T;
}

/** True when `error` is a refusal of the given type (a domain reason or a failure type). */
export const isRefusal = (error: unknown, reason: string): boolean =>
  error instanceof DomainError && error.reason === reason;
