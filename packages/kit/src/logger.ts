import winston from 'winston';

export type Logger = winston.Logger;

/**
 * Structured JSON logs, one line an event. Callers pass ids (invoiceId, userId) as fields; secrets and
 * stock contents are never passed (DESIGN.md). LOG_LEVEL=silent quiets tests.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    defaultMeta: { service },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}
