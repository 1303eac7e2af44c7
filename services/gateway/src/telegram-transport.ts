import { connections } from '@quickcart/kit';
import { STATUS_CODES } from 'node:http';
import type { MiddlewareFn, Telegram } from 'telegraf';
import { TelegramError } from 'telegraf';
import type { ShopContext } from './context';

/**
 * The Bot API methods whose payload is always plain JSON (no file to upload) that the bot calls on every
 * update: replies, edits, answers. Anything else (a photo or a document uploaded, getUpdates' long poll)
 * stays on telegraf's own transport.
 */
const PLAIN_JSON_METHODS = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'answerCallbackQuery',
  'deleteMessage',
  'sendChatAction',
]);

/**
 * A Bot API call that never got an answer (connection refused, reset, timed out). Its message carries
 * the cause's code (ECONNREFUSED: the call never reached Telegram), never the bot's token.
 */
export class TelegramUnreachable extends Error {
  override readonly name = 'TelegramUnreachable';
}

const sent = new WeakSet<Telegram>();

/**
 * Sends this client's plain JSON calls through undici's request API, on the process's pool of kept-alive
 * connections (kit's `connections`), instead of telegraf's node-fetch,
 * which cost the gateway about a quarter of its CPU per update (bench, profiled). What a call answers is
 * telegraf's to the letter: the result, or a TelegramError with Telegram's code, description and
 * parameters (a 5xx: its status). Wrapped first, under the counting and the retry-after waits.
 */
export function sendPlainJsonDirectly(telegram: Telegram): Telegram {
  if (sent.has(telegram)) return telegram;
  sent.add(telegram);
  const viaTelegraf = telegram.callApi.bind(telegram);
  const { apiRoot, apiMode, testEnv } = telegram.options;
  const { token } = telegram;
  telegram.callApi = async function callDirectly(method, payload, options) {
    if (!PLAIN_JSON_METHODS.has(method)) return viaTelegraf(method, payload, options);
    const url = new URL(`./${apiMode}${token}${testEnv ? '/test' : ''}/${method}`, apiRoot);
    let answer;
    try {
      const response = await connections.request({
        origin: url.origin,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload, withoutNulls),
        signal: options?.signal as AbortSignal | undefined,
      });
      if (response.statusCode >= 500) {
        await response.body.dump();
        const description = STATUS_CODES[response.statusCode] ?? 'Server Error';
        throw new TelegramError({ error_code: response.statusCode, description }, { method, payload });
      }
      answer = (await response.body.json()) as { ok: boolean; result?: unknown };
    } catch (error) {
      if (error instanceof TelegramError) throw error;
      const e = error as Error & { code?: string };
      const cause = [e.code, e.message].filter(Boolean).join(' ').split(token).join('[REDACTED]');
      throw new TelegramUnreachable(`${method}: ${cause}`);
    }
    if (!answer.ok) throw new TelegramError(answer as never, { method, payload });
    return answer.result;
  } as Telegram['callApi'];
  return telegram;
}

/** Every update's own client (telegraf makes one per update) sends so too. First in the chain. */
export function sendPlainJsonDirectlyOnEveryUpdate(): MiddlewareFn<ShopContext> {
  return (ctx, next) => {
    sendPlainJsonDirectly(ctx.telegram);
    return next();
  };
}

/** telegraf's JSON: null and undefined fields are left out. */
const withoutNulls = (_key: string, value: unknown) => (value == null ? undefined : value);
