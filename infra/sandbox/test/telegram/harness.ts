import { Telegraf, TelegramError } from 'telegraf';
import { startTelegramSandbox, type TelegramSandbox } from '../../src';

export const TOKEN = '7100200300:sandbox-test-token';

let seq = 0;
/** Unique per test run, so tests never share a chat even when they share a sandbox. */
export const newUserId = (): number => 500_000_000 + (process.pid % 10_000) * 1000 + ++seq;

export const startSandbox = (token?: string): Promise<TelegramSandbox> =>
  startTelegramSandbox({ port: 0, token });

/** A real telegraf bot pointed at the sandbox; `errors` collects what bot.catch saw. */
export function newBot(sandbox: TelegramSandbox, options: { webhookReply?: boolean } = {}) {
  const bot = new Telegraf(TOKEN, {
    telegram: { apiRoot: sandbox.apiRoot, webhookReply: options.webhookReply ?? false },
  });
  const errors: unknown[] = [];
  bot.catch((error) => void errors.push(error));
  return { bot, errors };
}

/** Starts long polling without waiting: telegraf's launch() only resolves once polling stops. */
export function launch(bot: Telegraf): void {
  bot.launch().catch(() => {
    // A stopped or refused poll; the test that caused it checks what it needs.
  });
}

export function stop(bot: Telegraf): void {
  try {
    bot.stop('test over');
  } catch {
    // never launched
  }
}

/** The TelegramError a Bot API call was refused with (fails when it was not refused). */
export async function refusal(call: Promise<unknown>): Promise<TelegramError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TelegramError)) throw new Error(`expected a TelegramError, got ${String(error)}`);
  return error;
}

/** A raw Bot API call, for the wire format itself. */
export async function callApi(
  sandbox: TelegramSandbox,
  method: string,
  params: object = {},
  token = TOKEN,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sandbox.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: await res.json() };
}
