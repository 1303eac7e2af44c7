import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { correlationHeader } from './correlation';
import { Conflict, Invalid, NotFound, Upstream, type DomainError, type ErrorBody } from './errors';
import { internalAuthHeader } from './internal-auth';
import { describeZodError } from './zod-message';

export interface HttpClientOptions {
  baseUrl: string;
  /**
   * The calling process's own token (GATEWAY_API_TOKEN, …): sent as `Authorization: Bearer …` on
   * every call (docs/security.md).
   */
  token: string;
  timeoutMs?: number;
  /** Extra headers on every call (e.g. the acting admin). */
  headers?: Record<string, string>;
}

/** One call's own terms, beside the client's. */
export interface CallOptions {
  /** A time limit for a route known to take longer than the client's usual one. */
  timeoutMs?: number;
  /**
   * Repeating the call changes nothing more (an upsert, a record of the same value): a caller may try
   * it again after a timeout. GETs are so by HTTP's rules. Carried on the Upstream error's details.
   */
  idempotent?: boolean;
}

/**
 * This process's HTTP connections, kept alive between calls as fetch's are: every HttpClient's, and the
 * gateway's Bot API calls (its telegram-transport.ts). Calls go through undici's own request API rather
 * than fetch: fetch wraps each answer in Web streams and costs about four times the CPU per call (a third
 * of a millisecond, client and server on this machine; the gateway makes two or three such calls per
 * update). One agent, not one per client: clients made per admin (their headers) share its sockets.
 */
export const connections = new Agent();

/** A call's answer as far as we read it. */
type Answer = Dispatcher.ResponseData;

/**
 * The one way our services call each other: JSON over HTTP with a timeout, the answer checked against
 * the callee's zod contract, and error answers turned back into the typed errors they started as.
 */
export class HttpClient {
  private readonly origin: string;
  /** What the base URL adds before each call's path ('' for a bare origin). */
  private readonly basePath: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpClientOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
    /** This call's own time limit (a number), or its own terms. */
    call: number | CallOptions = {},
  ): Promise<z.infer<S>> {
    const { timeoutMs = this.timeoutMs, idempotent = method === 'GET' } =
      typeof call === 'number' ? { timeoutMs: call } : call;
    const headers = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...this.options.headers,
      // The work this call is part of, so the callee's lines carry the same id.
      ...correlationHeader(),
      ...internalAuthHeader(this.options.token),
    };
    const deadline = this.deadline(timeoutMs);
    let response: Answer;
    let text: string;
    try {
      response = await connections.request({
        origin: this.origin,
        path: this.basePath + path,
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: deadline.signal,
      });
      text = await response.body.text();
    } catch (error) {
      const details = idempotent ? { idempotent: true } : undefined;
      throw new Upstream(`${method} ${path}: ${(error as Error).message}`, true, 'network', details);
    } finally {
      deadline.done();
    }
    const json = parseJson(text);
    if (response.statusCode < 200 || response.statusCode > 299)
      throw errorFromResponse(response.statusCode, json, `${method} ${path}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new Upstream(
        `${method} ${path}: unexpected answer: ${describeZodError(parsed.error)}`,
        false,
        'contract',
      );
    }
    return parsed.data;
  }

  /**
   * A GET whose answer is a stream (a CSV export), read as it arrives instead of held in memory. The
   * timeout covers the whole read: a long export gets `timeoutMs` of its own.
   */
  async stream(path: string, timeoutMs: number): Promise<Readable> {
    const deadline = this.deadline(timeoutMs);
    let response: Answer;
    try {
      response = await connections.request({
        origin: this.origin,
        path: this.basePath + path,
        method: 'GET',
        headers: { ...this.options.headers, ...internalAuthHeader(this.options.token) },
        signal: deadline.signal,
      });
    } catch (error) {
      deadline.done();
      throw new Upstream(`GET ${path}: ${(error as Error).message}`, true, 'network');
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      const text = await response.body.text().catch(() => '');
      deadline.done();
      throw errorFromResponse(response.statusCode, parseJson(text), `GET ${path}`);
    }
    response.body.once('close', deadline.done);
    return response.body;
  }

  /**
   * A call's time limit: its signal aborts the call, the answer's reading included, after `timeoutMs`.
   * A timer of our own, cleared when the call is done: AbortSignal.timeout costs more per call. The
   * message says "timeout": the inbox reads it so (worthTryingAgain) to tell a call that may have been
   * applied from one that never reached the callee.
   */
  private deadline(timeoutMs: number): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`timeout: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function errorFromResponse(status: number, json: unknown, what: string): DomainError {
  const body = (json ?? {}) as Partial<ErrorBody>;
  const message = body.message ?? `${what} answered ${status}`;
  switch (status) {
    case 400:
      return new Invalid(message, body.reason, body.details);
    case 404:
      return new NotFound(message, body.reason, body.details);
    case 409:
      return new Conflict(message, body.reason, body.details);
    default:
      // 5xx and anything unexpected may pass; other 4xx will not.
      return new Upstream(
        message,
        status >= 500 || status === 429,
        body.reason ?? `http_${status}`,
        body.details,
      );
  }
}
