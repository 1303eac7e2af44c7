import { createApp, createLogger, serve, type Logger } from '@quickcart/kit';
import { botApiRoutes, malformedBotCall } from './api-routes';
import { chatPageRoutes } from './chat-page';
import { telegramControlRoutes } from './control-routes';
import type { TelegramLimits } from './limits';
import type { BotProfile } from './model';
import { TelegramSandboxCore } from './sandbox-core';

export interface TelegramSandboxOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  /** The only token accepted; unset accepts any, so each test may make up its own. */
  token?: string;
  /** Silent when not given, so tests stay quiet. */
  logger?: Logger;
  bot?: Partial<BotProfile>;
  /** Telegram's limits (limits.ts); unset ones keep Telegram's values. */
  limits?: Partial<TelegramLimits>;
}

export interface TelegramSandbox extends TelegramSandboxCore {
  /** http://127.0.0.1:port */
  url: string;
  /** `url` with the trailing slash telegraf's `telegram.apiRoot` needs (docs/operations.md §11.1). */
  apiRoot: string;
  port: number;
  /** Resolves once every webhook delivery started so far has finished. */
  updatesSettled(): Promise<void>;
  close(): Promise<void>;
}

/** The bot's id is the number before the colon of a token, as in Telegram. */
function botProfile(token: string | undefined, given: Partial<BotProfile> = {}): BotProfile {
  const fromToken = Number(token?.split(':')[0]);
  return {
    id: given.id ?? (Number.isSafeInteger(fromToken) && fromToken > 0 ? fromToken : 7_000_000_001),
    firstName: given.firstName ?? 'QuickCart Sandbox',
    username: given.username ?? 'quickcart_sandbox_bot',
  };
}

/**
 * A local Telegram Bot API for the bot's end-to-end tests and for trying the bot in a browser: telegraf
 * points `apiRoot` at it; tests play users through `sandbox.user(...)`.
 */
export async function startTelegramSandbox(options: TelegramSandboxOptions = {}): Promise<TelegramSandbox> {
  const logger = options.logger ?? createLogger('telegram-sandbox', 'silent');
  const core = new TelegramSandboxCore(
    botProfile(options.token, options.bot),
    logger,
    options.token,
    options.limits,
  );
  const { app, finish } = createApp({
    logger,
    access: 'public', // it plays Telegram, which the whole world reaches
  });
  app.use(botApiRoutes(core.api));
  app.use(malformedBotCall(logger));
  app.use(telegramControlRoutes(core));
  const chatPage = chatPageRoutes(core);
  app.use(chatPage.router);
  // Long polls are answered first, or closing would wait out their timeout.
  const server = await serve(
    finish(),
    { port: options.port ?? 0, host: '127.0.0.1' },
    logger,
    async () => {},
  );
  const close = async () => {
    chatPage.release();
    await core.feed.close();
    await server.close();
  };
  const url = `http://127.0.0.1:${server.port}`;
  return Object.assign(core, {
    url,
    apiRoot: `${url}/`,
    port: server.port,
    updatesSettled: () => core.feed.webhook.settled(),
    close,
  });
}
