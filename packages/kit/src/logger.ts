import winston from 'winston';
import { currentCorrelationId } from './correlation';

export type Logger = winston.Logger;

/**
 * Structured JSON logs, one line an event. Callers pass ids (invoiceId, userId) as fields; secrets and
 * stock contents are never passed (docs/security.md), and an error passed as a field is cut down to
 * what is safe (describeError). LOG_LEVEL=silent quiets tests.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    defaultMeta: { service },
    format: winston.format.combine(
      safeErrors(),
      withCorrelationId(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}

/**
 * What of an error may be logged: its class, message, code and stack. Never the rest: a Sequelize
 * error carries the statement (`sql`), its `parameters` and the driver error's `detail` with row values
 * (customer data; stock contents when the statement was an /addstock insert).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { code?: unknown; reason?: unknown; original?: { code?: unknown } };
  const code = e.code ?? e.original?.code;
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
    stack: e.stack,
  };
}

/** What a database error carries beside its message: the statement, its values, the row's values. */
const UNSAFE_ERROR_FIELDS = ['sql', 'parameters', 'original', 'parent', 'detail', 'fields', 'where'];

/**
 * Every Error among a log line's fields (and one level inside them) becomes describeError's; a line
 * that is itself an error (`logger.error(err)`) loses the database fields.
 */
const safeErrors = winston.format((info) => {
  for (const field of UNSAFE_ERROR_FIELDS) delete (info as Record<string, unknown>)[field];
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = describeError(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) {
        if (v instanceof Error) (value as Record<string, unknown>)[inner] = describeError(v);
      }
    }
  }
  return info;
});

/** The correlation id of the work being done, on every line written for it (docs/operations.md §17). */
const withCorrelationId = winston.format((info) => {
  const id = currentCorrelationId();
  if (id && info.correlationId === undefined) info.correlationId = id;
  return info;
});
