/**
 * The few typed errors every service throws. One middleware (http.ts) maps them to HTTP codes and the
 * typed client (http-client.ts) maps the codes back, so a refusal keeps its meaning across services.
 */
export type ErrorCode = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'upstream';

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  /** A machine-readable reason inside the code, e.g. 'out_of_stock' for a conflict. */
  readonly reason: string;
  readonly details?: Record<string, unknown>;

  constructor(message: string, reason?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.reason = reason ?? this.constructor.name;
    this.details = details;
  }
}

export class Invalid extends DomainError {
  readonly status = 400;
  readonly code = 'invalid' as const;
}

/** A caller without the credential a listener wants (an internal route without the service token). */
export class Unauthorized extends DomainError {
  readonly status = 401;
  readonly code = 'unauthorized' as const;
}

/** A known caller asking for what it may not do (a route another service owns, a non-admin actor). */
export class Forbidden extends DomainError {
  readonly status = 403;
  readonly code = 'forbidden' as const;
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly code = 'not_found' as const;
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly code = 'conflict' as const;
}

/** Another system failed or could not be reached; `retryable` tells callers whether trying again may help. */
export class Upstream extends DomainError {
  readonly status = 502;
  readonly code = 'upstream' as const;
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, reason?: string, details?: Record<string, unknown>) {
    super(message, reason, details);
    this.retryable = retryable;
  }
}

/**
 * The one test of "worth trying again": an outage or a rate limit. Any other error (a refusal, a 4xx, an
 * answer that breaks the contract) will answer the same next time.
 */
export const isRetryable = (error: unknown): boolean => error instanceof Upstream && error.retryable;

/** The JSON body every service answers an error with. */
export interface ErrorBody {
  error: ErrorCode;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
}
