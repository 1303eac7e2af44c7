import { describeZodError, parse, Upstream } from '@quickcart/kit';
import type { z } from 'zod';
import {
  acknowledgement,
  createQrisAnswer,
  detailAnswer,
  orderRef,
  type OrderRef,
  type PakasirPayment,
  type PakasirTransaction,
} from './contract';
import { PAYMENT_METHOD_PATTERN } from './methods';

/** Pakasir's own API and hosted pages (docs/features.md §6). */
export const PAKASIR_BASE_URL = 'https://app.pakasir.com';

export interface PakasirClientOptions {
  baseUrl: string;
  /** The project slug registered at Pakasir. */
  project: string;
  apiKey: string;
  timeoutMs?: number;
  /**
   * Where Pakasir's page sends the customer back after paying (its `redirect` parameter, docs/features.md
   * §6): the bot's t.me link. Unset: Pakasir's default, the previous page.
   */
  redirectUrl?: string;
  /**
   * Told of every call when it ends (metrics: docs/operations.md §17): the endpoint (`transactiondetail`),
   * its result (`ok`, the HTTP status, `timeout`, `network`, `contract`) and how long it took.
   */
  observe?: (call: PakasirCall) => void;
}

/** One finished call to Pakasir, as `observe` is told of it. */
export interface PakasirCall {
  endpoint: string;
  result: string;
  seconds: number;
}

/**
 * Typed client of the Pakasir payment gateway (docs/features.md §6). Not kit's HttpClient: Pakasir is not
 * one of our services, so its 404 must not become our NotFound (a caller would read it as "no such
 * invoice" rather than "the gateway refused"), and its key travels in the query string, which
 * HttpClient would copy into error messages. Every failure is an Upstream whose `retryable` says
 * whether trying again may help; the api key is scrubbed from every message.
 */
export class PakasirClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PakasirClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Opens a QRIS payment; the customer pays `totalPayment` (amount + fee). */
  createQris(ref: OrderRef): Promise<PakasirPayment> {
    return this.create('qris', ref);
  }

  /**
   * Opens a payment by `method` (`transactioncreate/{method}`, docs/features.md §6.1): its payment number
   * is then a virtual account's. QuickCart opens QRIS only (the page offers the rest); verify asks this.
   */
  create(method: string, ref: OrderRef): Promise<PakasirPayment> {
    if (!PAYMENT_METHOD_PATTERN.test(method)) throw new RangeError(`not a Pakasir payment method: ${method}`);
    return this.call('POST', `/api/transactioncreate/${method}`, ref, createQrisAnswer);
  }

  /** The gateway's word on an order; `status === 'completed'` means paid. */
  detail(ref: OrderRef): Promise<PakasirTransaction> {
    return this.call('GET', '/api/transactiondetail', ref, detailAnswer);
  }

  /** Asks Pakasir to stop accepting payment. Unconfirmed API: callers must not depend on it (§6). */
  async cancel(ref: OrderRef): Promise<void> {
    await this.call('POST', '/api/transactioncancel', ref, acknowledgement);
  }

  /** Sandbox projects only: pretend the customer paid; Pakasir then sends the webhook. */
  async simulatePayment(ref: OrderRef): Promise<void> {
    await this.call('POST', '/api/paymentsimulation', ref, acknowledgement);
  }

  /** Pakasir's hosted payment page for the order, QRIS only (`qris_only=1`). */
  checkoutUrl(ref: OrderRef): string {
    return this.page(ref, true);
  }

  /**
   * The same page for the same invoice and amount without `qris_only`: the customer picks a virtual
   * account or another method Pakasir offers there (docs/features.md §6.1), and pays its fee.
   */
  paymentPageUrl(ref: OrderRef): string {
    return this.page(ref, false);
  }

  private page(ref: OrderRef, qrisOnly: boolean): string {
    const { orderId, amount } = parse(orderRef, ref);
    const query = new URLSearchParams({ order_id: orderId });
    if (this.options.redirectUrl) query.set('redirect', this.options.redirectUrl);
    if (qrisOnly) query.set('qris_only', '1');
    return `${this.baseUrl}/pay/${encodeURIComponent(this.options.project)}/${amount}?${query}`;
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    ref: OrderRef,
    schema: S,
  ): Promise<z.output<S>> {
    const observe = this.options.observe;
    if (!observe) return this.send(method, path, ref, schema);
    const started = performance.now();
    const endpoint = path.split('/')[2] ?? path;
    const told = (result: string) =>
      observe({ endpoint, result, seconds: (performance.now() - started) / 1000 });
    try {
      const answer = await this.send(method, path, ref, schema);
      told('ok');
      return answer;
    } catch (error) {
      const e = error as { reason?: string; details?: { status?: number } };
      told(e.details?.status ? String(e.details.status) : (e.reason ?? 'error'));
      throw error;
    }
  }

  private async send<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    ref: OrderRef,
    schema: S,
  ): Promise<z.output<S>> {
    const { orderId, amount } = parse(orderRef, ref);
    const fields = { project: this.options.project, order_id: orderId, amount, api_key: this.options.apiKey };
    const what = `Pakasir ${method} ${path} (order ${orderId})`;
    const details = { orderId, path };
    let url = this.baseUrl + path;
    if (method === 'GET') url += '?' + new URLSearchParams(stringValues(fields)).toString();

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' ? JSON.stringify(fields) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      const cause = timedOut ? `no answer within ${this.timeoutMs} ms` : describeFault(error);
      throw new Upstream(this.redact(`${what}: ${cause}`), true, timedOut ? 'timeout' : 'network', details);
    }

    if (!response.ok) {
      // 5xx and 429 are the gateway's bad moment; any other 4xx will answer the same next time.
      const retryable = response.status >= 500 || response.status === 429;
      const said = text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`;
      throw new Upstream(
        this.redact(`${what} answered ${response.status}${said}`),
        retryable,
        `pakasir_http_${response.status}`,
        { ...details, status: response.status },
      );
    }

    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      const why = describeZodError(parsed.error);
      throw new Upstream(this.redact(`${what}: unexpected answer: ${why}`), false, 'contract', details);
    }
    return parsed.data;
  }

  /** The key must never reach a message or a log, in plain or URL-encoded form. */
  private redact(message: string): string {
    const key = this.options.apiKey;
    if (key === '') return message;
    const forms = new Set([
      key,
      encodeURIComponent(key),
      new URLSearchParams({ k: key }).toString().slice(2),
    ]);
    let out = message;
    for (const form of forms) out = out.split(form).join('***');
    return out;
  }
}

function stringValues(fields: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}

/** undici says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND) is in the cause. */
function describeFault(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

/** A body that is not JSON stays a string, which no schema here accepts: it reads as a contract error. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
