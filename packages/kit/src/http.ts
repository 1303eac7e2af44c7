import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Server } from 'node:http';
import { z } from 'zod';
import { DomainError, Invalid, type ErrorBody } from './errors';
import type { Logger } from './logger';
import { describeZodError } from './zod-message';

/** Parses `data` with `schema` or throws Invalid naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new Invalid(describeZodError(result.error), 'validation');
  return result.data;
}

/** Wraps an async handler so a rejection reaches the error middleware (express 4 does not do it). */
export function route(
  handler: (req: express.Request, res: express.Response) => Promise<unknown>,
): RequestHandler {
  return (req, res, next) => {
    handler(req, res).catch(next);
  };
}

export interface AppOptions {
  logger: Logger;
  /** Answers GET /health; throw to report unhealthy. */
  health: () => Promise<Record<string, unknown>>;
}

/** An express app with JSON bodies, a health check, and `mount` for routes; call `finish` last. */
export function createApp({ logger, health }: AppOptions): { app: Express; finish: () => Express } {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '2mb' }));
  app.get(
    '/health',
    route(async (_req, res) => {
      try {
        res.json({ ok: true, ...(await health()) });
      } catch (error) {
        res.status(503).json({ ok: false, message: (error as Error).message });
      }
    }),
  );
  const finish = (): Express => {
    app.use((req, res) => {
      const body: ErrorBody = {
        error: 'not_found',
        reason: 'route',
        message: `No route ${req.method} ${req.path}`,
      };
      res.status(404).json(body);
    });
    app.use(errorMiddleware(logger));
    return app;
  };
  return { app, finish };
}

function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status: number;
    let body: ErrorBody;
    if (error instanceof DomainError) {
      status = error.status;
      body = { error: error.code, reason: error.reason, message: error.message, details: error.details };
    } else if (isBodyParseError(error)) {
      status = 400;
      body = { error: 'invalid', reason: 'malformed_json', message: 'body: malformed JSON' };
    } else {
      status = 500;
      body = { error: 'upstream', reason: 'internal', message: 'internal error' };
      logger.error('unhandled error', { method: req.method, path: req.path, error });
    }
    if (status < 500)
      logger.info('request refused', { method: req.method, path: req.path, status, reason: body.reason });
    res.status(status).json(body);
  };
}

function isBodyParseError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed'
  );
}

/**
 * Listens on `port` and closes gracefully on SIGTERM/SIGINT: stop accepting, let requests finish, then
 * run `onClose` (pools, connections). Returns the server and a `close` for tests.
 */
export async function serve(
  app: Express,
  port: number,
  logger: Logger,
  onClose: () => Promise<void> = async () => {},
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '0.0.0.0', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }).then(onClose));
  logger.info('listening', { port: actualPort });
  return { server, port: actualPort, close };
}

/** Makes SIGTERM and SIGINT run `close` once, then exit. */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    close().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
