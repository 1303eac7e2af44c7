import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
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
 * The one way our services call each other: JSON over HTTP with a timeout, the answer checked against
 * the callee's zod contract, and error answers turned back into the typed errors they started as.
 */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
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
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers,
          // The work this call is part of, so the callee's lines carry the same id.
          ...correlationHeader(),
          ...internalAuthHeader(this.options.token),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const details = idempotent ? { idempotent: true } : undefined;
      throw new Upstream(`${method} ${path}: ${(error as Error).message}`, true, 'network', details);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw errorFromResponse(response.status, json, `${method} ${path}`);
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
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        headers: { ...this.options.headers, ...internalAuthHeader(this.options.token) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Upstream(`GET ${path}: ${(error as Error).message}`, true, 'network');
    }
    if (!response.ok || !response.body)
      throw errorFromResponse(response.status, parseJson(await response.text()), `GET ${path}`);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
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
