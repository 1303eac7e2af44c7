import type { RequestHandler } from 'express';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Forbidden, Unauthorized } from './errors';

/**
 * Who calls an internal API, each with a token of its own (docs/security.md): a route names the callers
 * it serves (`allow`), so a stolen gateway token cannot do what only the worker may. `metrics` is the
 * Prometheus scraper: it reads /metrics and /ready on every internal listener and nothing else.
 */
export const CALLERS = ['gateway', 'worker', 'orders', 'metrics'] as const;
export type Caller = (typeof CALLERS)[number];

/** The caller that reads /metrics and /ready (Prometheus); no service holds its token. */
export const SCRAPER: Caller = 'metrics';

/** The shortest caller token a process accepts: 32 characters (docs/security.md). */
export const INTERNAL_TOKEN_MIN_LENGTH = 32;

/** What a caller holds, e.g. GATEWAY_API_TOKEN. */
export const callerTokenVariable = (caller: Caller) => `${caller.toUpperCase()}_API_TOKEN`;
/**
 * What a callee holds to check that caller: the token's SHA-256, e.g. GATEWAY_API_TOKEN_SHA256. It
 * verifies the token but cannot be sent in its place, so the gateway checking the worker's calls to
 * /notify cannot call anything as the worker.
 */
export const callerDigestVariable = (caller: Caller) => `${callerTokenVariable(caller)}_SHA256`;

/** A caller's own token in its config schema: required, long enough to be unguessable. */
export const callerTokenSetting = () =>
  z
    .string({
      error: `required: this process's token for calling our services (e.g. openssl rand -hex 32; it replaces INTERNAL_API_TOKEN, docs/security.md)`,
    })
    .min(INTERNAL_TOKEN_MIN_LENGTH, `at least ${INTERNAL_TOKEN_MIN_LENGTH} characters`);

const DIGEST_LIST = /^[0-9a-f]{64}(,[0-9a-f]{64})*$/;

/** A callee's digests of one caller's token: one, or two comma-separated while a token is rotated. */
export const callerDigestSetting = (caller: Caller) =>
  z
    .string({
      error: `required: the SHA-256 (hex) of ${callerTokenVariable(caller)} (printf %s "$${callerTokenVariable(caller)}" | sha256sum; docs/security.md)`,
    })
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => DIGEST_LIST.test(value), {
      message: `the SHA-256 of ${callerTokenVariable(caller)}: 64 hex digits, or several separated by commas`,
    });

/** Every caller's token, as test systems and `npm start`'s sandbox mode make them for one run. */
export type ServiceTokens = Record<Caller, string>;

/** The variables carrying ServiceTokens: each token and its digest. */
export interface ServiceTokenEnv {
  GATEWAY_API_TOKEN: string;
  WORKER_API_TOKEN: string;
  ORDERS_API_TOKEN: string;
  METRICS_API_TOKEN: string;
  GATEWAY_API_TOKEN_SHA256: string;
  WORKER_API_TOKEN_SHA256: string;
  ORDERS_API_TOKEN_SHA256: string;
  METRICS_API_TOKEN_SHA256: string;
}

/** A fresh token, for sandbox mode and tests (a set one is always used instead). */
export const generateInternalToken = (): string => randomBytes(32).toString('hex');

export const generateServiceTokens = (): ServiceTokens => ({
  gateway: generateInternalToken(),
  worker: generateInternalToken(),
  orders: generateInternalToken(),
  metrics: generateInternalToken(),
});

/** The SHA-256 of a token, in hex: what a callee is configured with. */
export const tokenDigest = (token: string): string => digest(token).toString('hex');

/** Every token and digest as environment variables (a test gives each process what it reads). */
export const serviceTokenEnv = (t: ServiceTokens): ServiceTokenEnv => ({
  GATEWAY_API_TOKEN: t.gateway,
  WORKER_API_TOKEN: t.worker,
  ORDERS_API_TOKEN: t.orders,
  METRICS_API_TOKEN: t.metrics,
  GATEWAY_API_TOKEN_SHA256: tokenDigest(t.gateway),
  WORKER_API_TOKEN_SHA256: tokenDigest(t.worker),
  ORDERS_API_TOKEN_SHA256: tokenDigest(t.orders),
  METRICS_API_TOKEN_SHA256: tokenDigest(t.metrics),
});

/**
 * Which of those variables each process reads: a caller holds its own token, a callee the digests of
 * its callers (docs/security.md). Every process has an internal listener Prometheus scrapes, so every
 * one checks the scraper's token; only Prometheus holds METRICS_API_TOKEN. Test systems give each
 * process exactly these.
 */
export const SERVICE_TOKEN_VARIABLES = {
  catalog: [
    'GATEWAY_API_TOKEN_SHA256',
    'WORKER_API_TOKEN_SHA256',
    'ORDERS_API_TOKEN_SHA256',
    'METRICS_API_TOKEN_SHA256',
  ],
  orders: [
    'ORDERS_API_TOKEN',
    'GATEWAY_API_TOKEN_SHA256',
    'WORKER_API_TOKEN_SHA256',
    'METRICS_API_TOKEN_SHA256',
  ],
  gateway: [
    'GATEWAY_API_TOKEN',
    'WORKER_API_TOKEN_SHA256',
    'ORDERS_API_TOKEN_SHA256',
    'METRICS_API_TOKEN_SHA256',
  ],
  worker: ['WORKER_API_TOKEN', 'METRICS_API_TOKEN_SHA256'],
} as const satisfies Record<string, readonly (keyof ServiceTokenEnv)[]>;

/** The token variables one process reads, from a run's tokens. */
export const serviceTokenEnvFor = (
  process: keyof typeof SERVICE_TOKEN_VARIABLES,
  tokens: ServiceTokens,
): Record<string, string> => {
  const all = serviceTokenEnv(tokens);
  return Object.fromEntries(SERVICE_TOKEN_VARIABLES[process].map((name) => [name, all[name]]));
};

/** Which callers a listener knows, by the digests of their tokens (comma-separated while rotating). */
export type CallerDigests = Partial<Record<Caller, string>>;

/** The callers a parsed config knows: each `<CALLER>_API_TOKEN_SHA256` it has. */
export function callerDigestsOf(config: Partial<Record<string, unknown>>): CallerDigests {
  return Object.fromEntries(
    CALLERS.flatMap((caller) => {
      const value = config[callerDigestVariable(caller)];
      return typeof value === 'string' ? [[caller, value]] : [];
    }),
  );
}

/** The header our typed clients send. */
export const internalAuthHeader = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/**
 * Refuses every request without `Authorization: Bearer <a known caller's token>` with 401, before any
 * body is read, and notes who called (`res.locals.caller`) for `allow`.
 */
export function identifyCaller(known: CallerDigests): RequestHandler {
  const digests = Object.entries(known).flatMap(([caller, list]) =>
    (list ?? '').split(',').map((hex) => ({ caller: caller as Caller, digest: Buffer.from(hex, 'hex') })),
  );
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (match) {
      const given = digest(match[1]);
      // Every digest is compared, in constant time: the time taken says nothing about which one matched.
      let caller: Caller | undefined;
      for (const d of digests) if (timingSafeEqual(given, d.digest)) caller = d.caller;
      if (caller) {
        res.locals.caller = caller;
        return next();
      }
    }
    next(
      new Unauthorized(
        'an internal route: Authorization: Bearer <the calling service’s token> required',
        match ? 'wrong_token' : 'missing_token',
      ),
    );
  };
}

/** A route's caller check, carrying its list so `listRoutes` (and the security test) can read it. */
export type CallerCheck = RequestHandler & { callers: readonly Caller[] };

/**
 * The callers a route serves, written where the route is registered (`r.post(path, allow('worker'), …)`).
 * Anyone else with a valid token gets 403. An internal app refuses to start with a route that lacks it.
 */
export function allow(...callers: Caller[]): CallerCheck {
  const check: RequestHandler = (req, res, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (caller && callers.includes(caller)) return next();
    next(
      new Forbidden(
        `${req.method} ${req.route?.path ?? req.path} serves ${callers.join(', ')}, not ${caller ?? 'an unknown caller'}`,
        'caller',
      ),
    );
  };
  return Object.assign(check, { callers: Object.freeze([...callers]) });
}

export const isCallerCheck = (handler: unknown): handler is CallerCheck =>
  typeof handler === 'function' && Array.isArray((handler as Partial<CallerCheck>).callers);

/**
 * Compares a secret someone sent with ours in constant time. Both sides are hashed first, so the time
 * taken says nothing about the length either.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

const digest = (value: string) => createHash('sha256').update(value).digest();
