import { CatalogClient } from '@quickcart/catalog/client';
import { createApp, createLogger, serve, type Logger } from '@quickcart/kit';
import { OrdersClient } from '@quickcart/orders/client';
import { publishCommandMenus } from './admin/command-menus';
import { ADMIN_COMMANDS } from './admin/register';
import { createBot } from './bot';
import { shortLived } from './short-lived';
import type { GatewayConfig } from './config';
import { notifyRoutes } from './notify/route';
import { memoryKv, redisKv } from './session/kv';
import { Sessions } from './session/sessions';

const FIGURES_TTL_MS = 5_000;

export interface RunningGateway {
  port: number;
  close: () => Promise<void>;
  logger: Logger;
}

/**
 * The only part that talks to Telegram: the bot (long polling, or a webhook with Telegram's secret
 * header when TELEGRAM_WEBHOOK_URL is set) and the internal POST /notify the workflows use.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const kv = config.REDIS_URL ? await redisKv(config.REDIS_URL, config.REDIS_KEY_PREFIX) : memoryKv();
  const orders = new OrdersClient({ baseUrl: config.ORDERS_URL });
  const catalog = new CatalogClient({ baseUrl: config.CATALOG_URL });
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
  });
  bot.botInfo = await bot.telegram.getMe();
  await publishCommandMenus(bot.telegram, orders, ADMIN_COMMANDS, logger).catch((error: Error) =>
    logger.warn('command menus not set', { message: error.message }),
  );

  const { app, finish } = createApp({
    logger,
    health: async () => ({ service: 'gateway', bot: bot.botInfo?.username }),
  });
  app.use(notifyRoutes(bot.telegram, kv, logger));
  const webhookPath = '/telegram/webhook';
  if (config.TELEGRAM_WEBHOOK_URL) {
    // Mounted without a prefix: telegraf compares the full request path (TECH-NOTES §0.12).
    app.use(bot.webhookCallback(webhookPath, { secretToken: config.TELEGRAM_WEBHOOK_SECRET }));
    await bot.telegram.setWebhook(new URL(webhookPath, config.TELEGRAM_WEBHOOK_URL).toString(), {
      secret_token: config.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
  } else {
    await bot.telegram.deleteWebhook();
    void bot.launch({ allowedUpdates: ['message', 'callback_query'] }).catch((error: Error) => {
      logger.error('polling stopped', { message: error.message });
    });
  }
  const server = await serve(finish(), config.GATEWAY_PORT, logger, async () => {
    try {
      if (!config.TELEGRAM_WEBHOOK_URL) bot.stop('shutdown');
    } catch {
      // polling had not started (or already stopped)
    }
    await kv.close();
  });
  logger.info('bot ready', {
    username: bot.botInfo.username,
    mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling',
  });
  return { port: server.port, close: server.close, logger };
}
