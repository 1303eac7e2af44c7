import { CatalogClient } from '@quickcart/catalog/client';
import {
  createApp,
  createLogger,
  createMetricsRegistry,
  sameSecret,
  serve,
  Unauthorized,
  type Logger,
  type RegisteredRoute,
} from '@quickcart/kit';
import type { RequestHandler } from 'express';
import { OrdersClient } from '@quickcart/orders/client';
import { publishCommandMenus } from './admin/command-menus';
import { ADMIN_COMMANDS } from './admin/register';
import { createBot } from './bot';
import { shortLived } from './short-lived';
import type { GatewayConfig } from './config';
import { gatewayMetrics } from './metrics';
import { notifyRoutes } from './notify/route';
import { PollingSupervisor } from './polling';
import { memoryKv, redisKv } from './session/kv';
import { Sessions } from './session/sessions';

const FIGURES_TTL_MS = 5_000;

export interface RunningGateway {
  /** The internal API (POST /notify). */
  port: number;
  /** Webhook mode: the public listener for Telegram's updates. */
  webhookPort?: number;
  routes: { internal: RegisteredRoute[]; public: RegisteredRoute[] };
  close: () => Promise<void>;
  logger: Logger;
}

/**
 * The only part that talks to Telegram: the bot (long polling, or a webhook with Telegram's secret
 * header when TELEGRAM_WEBHOOK_URL is set, on a public listener of its own) and the internal
 * POST /notify the workflows use (docs/security.md).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const kv = config.REDIS_URL ? await redisKv(config.REDIS_URL, config.REDIS_KEY_PREFIX) : memoryKv();
  const token = config.INTERNAL_API_TOKEN;
  const orders = new OrdersClient({ baseUrl: config.ORDERS_URL, token });
  const catalog = new CatalogClient({ baseUrl: config.CATALOG_URL, token });
  const registry = createMetricsRegistry();
  /** Webhook mode: set once Telegram accepted setWebhook. */
  let webhookSet = false;
  const metrics = gatewayMetrics(registry, () =>
    config.TELEGRAM_WEBHOOK_URL ? { webhook: webhookSet } : { polling: polling?.status().state },
  );
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT, {
    catalog,
    orders,
    // Every /start and "Kembali" shows these: two count(*) queries and a product list each time,
    // for figures a few seconds old are as good (measured with npm run bench).
    figures: {
      totals: shortLived(() => orders.stats(), FIGURES_TTL_MS),
      productIdsInStock: shortLived(
        async () => (await catalog.listProducts({ inStock: true, pageSize: 24 })).items.map((p) => p.id),
        FIGURES_TTL_MS,
      ),
    },
    sessions: new Sessions(kv),
    kv,
    config,
    logger,
    metrics,
  });
  bot.botInfo = await bot.telegram.getMe();
  await publishCommandMenus(bot.telegram, orders, ADMIN_COMMANDS, logger).catch((error: Error) =>
    logger.warn('command menus not set', { message: error.message }),
  );

  const polling = config.TELEGRAM_WEBHOOK_URL
    ? undefined
    : new PollingSupervisor(bot, logger, { allowedUpdates: ['message', 'callback_query'] });
  // Not ready (503) while polling is down: the process is up but nobody's updates are read.
  const health = async () => {
    const status = polling?.status();
    if (status && status.state !== 'polling')
      throw new Error(`telegram polling ${status.state} since ${status.since}: ${status.lastError ?? ''}`);
    return { service: 'gateway', bot: bot.botInfo?.username, ...(status && { polling: status.state }) };
  };
  const { app, finish } = createApp({
    logger,
    health,
    access: { internalToken: token },
    metrics: { registry },
    ready: {
      redis: () => kv.ping(),
      telegram: async () => {
        if (config.TELEGRAM_WEBHOOK_URL && !webhookSet) throw new Error('webhook not set');
        const status = polling?.status();
        if (status && status.state !== 'polling') throw new Error(`polling ${status.state}`);
      },
    },
  });
  app.use(notifyRoutes(bot.telegram, kv, logger));
  const webhookPath = '/telegram/webhook';
  let publicServer: Awaited<ReturnType<typeof serve>> | undefined;
  if (config.TELEGRAM_WEBHOOK_URL) {
    const secret = config.TELEGRAM_WEBHOOK_SECRET!; // the config refuses webhook mode without it
    const webhook = createApp({
      logger,
      health,
      access: 'public',
      guard: requireTelegramSecret(webhookPath, secret),
    });
    // Mounted without a prefix: telegraf compares the full request path (and the secret once more).
    webhook.app.use(bot.webhookCallback(webhookPath, { secretToken: secret }));
    publicServer = await serve(
      webhook.finish(),
      { port: config.TELEGRAM_WEBHOOK_PORT, host: config.PUBLIC_BIND_HOST, name: 'telegram-webhook' },
      logger,
    );
    await bot.telegram.setWebhook(new URL(webhookPath, config.TELEGRAM_WEBHOOK_URL).toString(), {
      secret_token: config.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
    webhookSet = true;
  } else {
    await bot.telegram.deleteWebhook();
    polling!.start();
  }
  const server = await serve(
    finish(),
    { port: config.GATEWAY_PORT, host: config.BIND_HOST },
    logger,
    async () => {
      await publicServer?.close();
      await polling?.stop();
      await kv.close();
    },
  );
  logger.info('bot ready', {
    username: bot.botInfo.username,
    mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling',
  });
  return {
    port: server.port,
    webhookPort: publicServer?.port,
    routes: { internal: server.routes, public: publicServer?.routes ?? [] },
    close: server.close,
    logger,
  };
}

/** Telegram sends the secret given to setWebhook in this header on every update; anything else is forged. */
function requireTelegramSecret(path: string, secret: string): RequestHandler {
  return (req, _res, next) => {
    if (req.path !== path) return next(); // not the webhook: a 404 follows
    const given = req.headers['x-telegram-bot-api-secret-token'];
    if (typeof given === 'string' && sameSecret(given, secret)) return next();
    next(new Unauthorized('not from Telegram', 'telegram_secret'));
  };
}
