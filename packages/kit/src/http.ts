import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Server } from 'node:http';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import { correlationMiddleware, currentCorrelationId } from './correlation';
import { DomainError, Invalid, type ErrorBody } from './errors';
import { SCRAPER, allow, identifyCaller, type CallerDigests } from './internal-auth';
import { createLogger, type Logger } from './logger';
import { httpMetrics, mountMetrics } from './metrics';
import { mountReadiness, type ReadinessChecks } from './readiness';
import { listRoutes, type RegisteredRoute } from './routes';
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

/**
 * Who may call a listener (docs/security.md). Internal: our own services, each request carrying
 * `Authorization: Bearer <its caller's token>`, checked against the digests of the callers this
 * listener knows; each route then names the callers it serves (`allow`). `public`: the outside world
 * (a webhook, an emulator of an outside service); such an app must mount only the routes the outside
 * needs.
 */
export type Access = { callers: CallerDigests } | 'public';

export interface AppOptions {
  logger: Logger;
  /**
   * An internal listener's GET /health (open without a token: it says only "up" and which service);
   * throw to report unhealthy. A public listener answers a constant instead and runs nothing: a
   * stranger's request does no work and learns no error text.
   */
  health?: () => Promise<Record<string, unknown>>;
  access: Access;
  /**
   * Path prefixes followed by a secret (`/webhooks/pakasir/`): whatever comes after one is logged as
   * `***`, the right secret and a near miss of it alike, however the prefix is spelled.
   */
  secretPathPrefixes?: string[];
  /**
   * A public listener's own check, run like the token: before any body is read. A webhook listener's
   * guard lets through only its one route (a secret header or a secret path), 404 for the rest.
   */
  guard?: RequestHandler;
  /**
   * Internal listeners: the process's metrics, served at GET /metrics behind the token, and every
   * request counted and timed by route (docs/operations.md §17). `extra` appends more text (the worker's
   * Temporal SDK metrics).
   */
  metrics?: { registry: Registry; extra?: () => Promise<string> };
  /** Internal listeners: GET /ready (behind the token) runs these; 503 while one fails. */
  ready?: ReadinessChecks;
}

/** An express app with JSON bodies, a health check, and `mount` for routes; call `finish` last. */
export function createApp({
  logger,
  health,
  access,
  secretPathPrefixes = [],
  guard,
  metrics,
  ready,
}: AppOptions): {
  app: Express;
  finish: () => Express;
} {
  const app = express();
  app.disable('x-powered-by');
  // No caller sends If-None-Match: an ETag would only cost a SHA-1 of every JSON answer (the catalog's
  // product pages most of all).
  app.disable('etag');
  // Every line a request logs carries its correlation id (the caller's, or one born here).
  app.use(correlationMiddleware(access !== 'public'), requestLog(logger));
  // One spelling per route: '/WEBHOOKS/PAKASIR/…' or a trailing '/' is another path, never the same route.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  const loggedPath = secretPathRedactor(secretPathPrefixes);
  if (access === 'public') {
    // Metrics and readiness are operators' business: never on a listener the outside world reaches.
    if (metrics || ready) throw new Error('a public listener serves neither /metrics nor /ready');
    app.get('/health', (_req, res) => void res.json({ ok: true }));
  } else {
    app.get(
      '/health',
      route(async (_req, res) => {
        try {
          res.json({ ok: true, ...(await health?.()) });
        } catch (error) {
          res.status(503).json({ ok: false, message: (error as Error).message });
        }
      }),
    );
  }
  // Counted from here, refusals of the token included; /health probes are not.
  if (metrics) app.use(httpMetrics(metrics.registry, 'internal'));
  // The token is checked before any body is read: an outsider cannot make us parse 2 MB of JSON.
  if (access !== 'public') app.use(identifyCaller(access.callers));
  // Only the scraper's token reads them (docs/security.md): a service's token has no business there.
  if (metrics) mountMetrics(app, metrics.registry, allow(SCRAPER), metrics.extra);
  if (ready) mountReadiness(app, ready, allow(SCRAPER), logger, metrics?.registry);
  if (guard) app.use(guard);
  app.use(express.json({ limit: '2mb' }));
  const finish = (): Express => {
    if (access !== 'public') requireCallerChecks(app);
    app.use((req, res) => {
      const body: ErrorBody = {
        error: 'not_found',
        reason: 'route',
        message: `No route ${req.method} ${req.path}`,
      };
      res.status(404).json(body);
    });
    app.use(errorMiddleware(logger, loggedPath));
    return app;
  };
  return { app, finish };
}

/**
 * An internal route without `allow(…)` would serve any caller with a token, the gateway's included: the
 * app refuses to start instead, naming it, so a route added later cannot forget whom it serves.
 */
function requireCallerChecks(app: Express): void {
  const unchecked = listRoutes(app).filter((r) => r.path !== '/health' && !r.callers?.length);
  if (unchecked.length > 0)
    throw new Error(
      `internal routes without allow(…callers): ${unchecked.map((r) => `${r.method} ${r.path}`).join(', ')}`,
    );
}

/**
 * How a path is logged: after a secret prefix, `***`. The prefix is matched however it is spelled
 * (case, doubled or encoded slashes), so no spelling that reaches the listener writes the secret down.
 */
export function secretPathRedactor(prefixes: string[]): (path: string) => string {
  const wanted = prefixes.map((p) => p.toLowerCase());
  return (path) => {
    const normal = safeDecode(path).toLowerCase().replace(/\/+/g, '/');
    const prefix = wanted.find((p) => normal.startsWith(p));
    return prefix ? `${prefix}***` : path;
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * At debug level, one line per request when it is answered: its route pattern (never the path, which
 * may hold a secret or ids), status and time, under its correlation id.
 */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isDebugEnabled()) return next();
    const started = performance.now();
    const correlationId = currentCorrelationId();
    res.once('finish', () =>
      logger.debug('request answered', {
        method: req.method,
        route: typeof req.route?.path === 'string' ? req.baseUrl + req.route.path : 'unmatched',
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        correlationId,
      }),
    );
    next();
  };
}

function errorMiddleware(logger: Logger, loggedPath: (path: string) => string): ErrorRequestHandler {
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
      // The logger's error format keeps name, message and code only: never SQL or its parameters.
      logger.error('unhandled error', { method: req.method, path: loggedPath(req.path), error });
    }
    if (status < 500)
      logger.info('request refused', {
        method: req.method,
        path: loggedPath(req.path),
        status,
        reason: body.reason,
      });
    res.status(status).json(body);
  };
}

function isBodyParseError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed'
  );
}

/** Where a listener listens: internal ones on BIND_HOST (127.0.0.1), public ones on PUBLIC_BIND_HOST. */
export interface ListenOn {
  port: number;
  host: string;
  /** Named in the log line, e.g. 'internal' or 'pakasir-webhook'. */
  name?: string;
}

export interface Listening {
  server: Server;
  port: number;
  /** Every route the app serves, for the security test that calls each without a credential. */
  routes: RegisteredRoute[];
  close: () => Promise<void>;
}

/**
 * Listens and closes gracefully on SIGTERM/SIGINT: stop accepting, let requests finish, then run
 * `onClose` (pools, connections). Returns the server and a `close` for tests.
 */
export async function serve(
  app: Express,
  on: ListenOn,
  logger: Logger,
  onClose: () => Promise<void> = async () => {},
): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(on.port, on.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : on.port;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }).then(onClose));
  logger.info('listening', { listener: on.name ?? 'internal', host: on.host, port: actualPort });
  return { server, port: actualPort, routes: listRoutes(app), close };
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

/**
 * A service's main: reads its config (a bad or missing value stops the process, naming the variable),
 * starts it, and closes it on SIGTERM/SIGINT. Any failure to start exits non-zero with the reason.
 */
export function runService<C>(
  name: string,
  loadConfig: () => C,
  start: (config: C) => Promise<{ close: () => Promise<void>; logger: Logger }>,
): void {
  const fail = (error: Error) => {
    createLogger(name).error('failed to start', { message: error.message });
    process.exit(1);
  };
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(error as Error);
  }
  start(config).then((running) => closeOnSignals(running.close, running.logger), fail);
}
