import { CatalogClient } from '@quickcart/catalog/client';
import {
  CallTally,
  callerDigestsOf,
  createApp,
  NotFound,
  createLogger,
  createMetricsRegistry,
  sameSecret,
  serve,
  Unauthorized,
  type Logger,
  type RegisteredRoute,
} from '@quickcart/kit';
import type { RequestHandler } from 'express';
import { OrdersForTheBot, UserRecords } from './user-records';
import { publishCommandMenus } from './admin/command-menus';
import { ADMIN_COMMANDS } from './admin/register';
import { createBot } from './bot';
import { shortLived } from './short-lived';
import type { GatewayConfig } from './config';
import { ChatPace } from './chat-pace';
import { correlatedAndCounted, gatewayMetrics, inboxGauges, type GatewayMetrics } from './metrics';
import { isGroupNotice, sendGroupNotice } from './notify/group-notices';
import { notifier, notifyRoutes, performFollowingMigration } from './notify/route';
import { botHandler } from './inbox/bot-handler';
import { pauseBeforeRetry, type Inbox } from './inbox/inbox';
import { MemoryInbox } from './inbox/memory-inbox';
import { RedisInbox } from './inbox/redis-inbox';
import { telegramUpdate } from './inbox/update';
import { PollingSupervisor } from './polling';
import { RecipientLanguages } from './recipient-languages';
import { memoryKv, redisKv } from './session/kv';
import { Sessions } from './session/sessions';
import { untilTelegramAnswers } from './telegram-startup';

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
  const token = config.GATEWAY_API_TOKEN;
  const users = new UserRecords(config.USER_RECORD_SECONDS * 1000);
  const orders = new OrdersForTheBot({ baseUrl: config.ORDERS_URL, token }, users);
  const catalog = new CatalogClient({ baseUrl: config.CATALOG_URL, token });
  const languages = new RecipientLanguages(orders, logger);
  // Every group's pace, kept in Redis (chat-pace.ts): the notifier asks it whether a notice waits.
  const pace = new ChatPace(kv, config.TELEGRAM_GROUP_MESSAGES_PER_MINUTE);
  // The bot's own client sends what /notify asks and the QR replies alike (it exists once the bot does);
  // a group notice whose turn is later waits in the inbox (it exists once the bot does too).
  const notify = notifier(
    () => bot.telegram,
    kv,
    languages,
    logger,
    () => ({ inbox, pace }),
  );
  const registry = createMetricsRegistry();
  /** Webhook mode: set once Telegram accepted setWebhook. */
  let webhookSet = false;
  const counted = gatewayMetrics(registry, () =>
    config.TELEGRAM_WEBHOOK_URL ? { webhook: webhookSet } : { polling: polling?.status().state },
  );
  // Telegram's answers go to orders too, for the owner's "Telegram keeps refusing" (docs/operations.md §16).
  const telegramCalls = new CallTally();
  telegramCalls.start((results) => orders.reportDependencyCalls('telegram', results), logger);
  const metrics: GatewayMetrics = {
    ...counted,
    telegramCall: (method, result, seconds) => {
      counted.telegramCall(method, result, seconds);
      telegramCalls.count(result);
    },
  };
  const bot = createBot(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT, {
    catalog,
    orders,
    notify,
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
    users,
    languages,
    config,
    logger,
    metrics,
  });
  bot.botInfo = await untilTelegramAnswers('getMe', () => bot.telegram.getMe(), logger);
  await publishCommandMenus(bot.telegram, orders, languages, ADMIN_COMMANDS, logger).catch((error: Error) =>
    logger.warn('command menus not set', { message: error.message }),
  );

  const policy = { maxAttempts: config.INBOX_MAX_ATTEMPTS, pauseMs: pauseBeforeRetry };
  const inbox: Inbox = config.REDIS_URL
    ? await RedisInbox.connect(
        config.REDIS_URL,
        config.REDIS_KEY_PREFIX,
        { ...policy, partitions: config.INBOX_PARTITIONS },
        logger,
      )
    : new MemoryInbox(policy, logger);
  if (inbox.kind === 'memory')
    logger.warn('inbox in memory (no REDIS_URL): updates being handled are lost when this process ends');
  inboxGauges(registry, inbox, logger);
  const handleBotUpdate = botHandler(bot);
  const noticeDeps = { telegram: bot.telegram, kv, logger, languages };
  // The inbox holds Telegram's updates and the group notices waiting for their turn (notify/group-notices.ts).
  // Each runs under its correlation id and is counted where the inbox hands it over.
  inbox.start(
    correlatedAndCounted(
      (update, attempt) =>
        isGroupNotice(update)
          ? sendGroupNotice(noticeDeps, update, performFollowingMigration)
          : handleBotUpdate(update, attempt),
      metrics,
      logger,
    ),
  );

  const polling = config.TELEGRAM_WEBHOOK_URL
    ? undefined
    : new PollingSupervisor(bot.telegram, (updates) => inbox.add(updates), logger, {
        allowedUpdates: ['message', 'callback_query'],
        maxConflicts: config.TELEGRAM_POLLING_MAX_CONFLICTS,
      });
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
    access: { callers: callerDigestsOf(config) },
    metrics: { registry },
    ready: {
      // Only a Redis it uses: without REDIS_URL the sessions are in this process, nothing to check.
      ...(config.REDIS_URL && { redis: () => kv.ping() }),
      telegram: async () => {
        if (config.TELEGRAM_WEBHOOK_URL && !webhookSet) throw new Error('webhook not set');
        const status = polling?.status();
        if (status && status.state !== 'polling') throw new Error(`polling ${status.state}`);
      },
    },
  });
  app.use(notifyRoutes(notify));
  const webhookPath = '/telegram/webhook';
  let publicServer: Awaited<ReturnType<typeof serve>> | undefined;
  if (config.TELEGRAM_WEBHOOK_URL) {
    const secret = config.TELEGRAM_WEBHOOK_SECRET!; // the config refuses webhook mode without it
    const webhook = createApp({
      logger,
      access: 'public',
      guard: requireTelegramSecret(webhookPath, secret),
    });
    // Telegram's 200 comes once the update is in the inbox, not when its handler ends: a slow handler
    // never holds the chat's next update at Telegram, and a failed store (500) is sent again.
    webhook.app.post(webhookPath, async (req, res, next) => {
      const update = telegramUpdate.safeParse(req.body);
      if (!update.success) return void res.status(400).json({ error: 'invalid', message: 'not an update' });
      try {
        await inbox.add([update.data]);
        res.status(200).json({});
      } catch (error) {
        next(error);
      }
    });
    publicServer = await serve(
      webhook.finish(),
      { port: config.TELEGRAM_WEBHOOK_PORT, host: config.PUBLIC_BIND_HOST, name: 'telegram-webhook' },
      logger,
    );
    const url = new URL(webhookPath, config.TELEGRAM_WEBHOOK_URL).toString();
    await untilTelegramAnswers(
      'setWebhook',
      () =>
        bot.telegram.setWebhook(url, {
          secret_token: config.TELEGRAM_WEBHOOK_SECRET,
          allowed_updates: ['message', 'callback_query'],
        }),
      logger,
    );
    webhookSet = true;
  } else {
    await untilTelegramAnswers('deleteWebhook', () => bot.telegram.deleteWebhook(), logger);
    polling!.start();
  }
  const server = await serve(
    finish(),
    { port: config.GATEWAY_PORT, host: config.BIND_HOST },
    logger,
    async () => {
      await publicServer?.close();
      await polling?.stop();
      await inbox.stop(config.INBOX_SHUTDOWN_GRACE_MS);
      await kv.close();
      await telegramCalls.stop();
    },
  );
  logger.info('bot ready', {
    username: bot.botInfo.username,
    mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling',
    inbox: inbox.kind,
  });
  return {
    port: server.port,
    webhookPort: publicServer?.port,
    routes: { internal: server.routes, public: publicServer?.routes ?? [] },
    close: server.close,
    logger,
  };
}

/**
 * Telegram sends the secret given to setWebhook in this header on every update; anything else is forged.
 * Runs before any body is read: any other path is 404 at once, so a stranger makes us parse nothing.
 */
function requireTelegramSecret(path: string, secret: string): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || req.path !== path) return next(new NotFound('not found', 'route'));
    const given = req.headers['x-telegram-bot-api-secret-token'];
    if (typeof given === 'string' && sameSecret(given, secret)) return next();
    next(new Unauthorized('not from Telegram', 'telegram_secret'));
  };
}
