import { randomInt } from 'node:crypto';
import { startGateway, type RunningGateway } from '@quickcart/gateway/app';
import { serviceTokenEnvFor } from '@quickcart/kit';
import { gatewayConfigSchema } from '@quickcart/gateway/config';
import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { freePort, requireRedis, TEST_REDIS_URL } from '../../bench/src/system';
import { PROJECT, startTestStack, type TestStack } from '../../../services/orders/test/stack';
import { closeInOrder } from './close-in-order';
import { startWorker } from './worker';

/** A free local port for a server told its port before it starts (bench/src/system.ts). */
export { freePort };

/**
 * A new customer, stored under `name`, who opens a product by its number and goes on to its order
 * summary (one item), as a person does: the summary's payment buttons are next.
 */
export async function customerAtSummary(sys: BotSystem, name: string, productId: number) {
  const user = sys.telegram.user({ id: newUserId(), firstName: name });
  await sys.stack.orders.upsertUser({ id: user.id, name });
  await user.send(String(productId));
  await user.waitForText('Jumlah: 1');
  await user.press('Lanjut ke pembayaran');
  await user.waitForText('Ringkasan Pesanan');
  return user;
}

export interface BotSystem {
  stack: TestStack;
  telegram: TelegramSandbox;
  /** The gateway's internal API (POST /notify). */
  gatewayUrl: string;
  /** Webhook mode: the gateway's public listener. */
  gatewayWebhookUrl?: string;
  gatewayRoutes: RunningGateway['routes'];
  /** The gateway's logger (silent unless the test set LOG_LEVEL), for tests that read its lines. */
  gatewayLogger: RunningGateway['logger'];
  close: () => Promise<void>;
}

/**
 * Everything real but Telegram and Pakasir, which are their sandboxes over HTTP: catalog, orders, the
 * worker on the dev server, the gateway long-polling the Telegram sandbox, sessions in the real Redis.
 */
export async function startBotSystem(
  timing: { paymentTimeout: string; pollInterval: string },
  gatewayEnv: Record<string, string> = {},
  options: {
    worker?: boolean;
    /** More orders settings (environment variable names), e.g. ADMIN_DIGEST_SECONDS. */
    orders?: Record<string, string>;
  } = {},
): Promise<BotSystem> {
  // Sessions in the real Redis unless the test says none (REDIS_URL ''): missing, it fails here, clearly.
  const redisUrl = gatewayEnv.REDIS_URL ?? TEST_REDIS_URL();
  if (redisUrl) await requireRedis(redisUrl);
  // Orders' own notices (the admins' digest, anti-fraud flags) go to this gateway: its port is known first.
  const gatewayPort = await freePort();
  const stack = await startTestStack({
    ...timing,
    worker: 'none',
    orders: { ...options.orders, GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` },
  });
  const telegram = await startTelegramSandbox({});
  const gateway = await startGateway(
    gatewayConfigSchema.parse({
      GATEWAY_PORT: String(gatewayPort),
      TELEGRAM_WEBHOOK_PORT: '0',
      PUBLIC_BIND_HOST: '127.0.0.1',
      ...serviceTokenEnvFor('gateway', stack.tokens),
      TELEGRAM_BOT_TOKEN: 'e2e-token',
      TELEGRAM_API_ROOT: telegram.url,
      REDIS_URL: redisUrl,
      // Each system its own keys: sessions and rate-limit counters must not leak between suites.
      REDIS_KEY_PREFIX: `e2e:${stack.taskQueue}:`,
      CATALOG_URL: stack.catalogUrl,
      ORDERS_URL: stack.ordersUrl,
      STORE_NAME: 'Toko Uji',
      RATE_LIMIT_PER_MINUTE: '1000',
      LOG_LEVEL: 'silent',
      ...gatewayEnv,
    }),
  );
  // A test that kills and restarts worker processes itself starts without the in-process one.
  const worker =
    options.worker === false ? undefined : await startWorker(stack, `http://127.0.0.1:${gateway.port}`);
  return {
    stack,
    telegram,
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    gatewayRoutes: gateway.routes,
    gatewayLogger: gateway.logger,
    gatewayWebhookUrl: gateway.webhookPort ? `http://127.0.0.1:${gateway.webhookPort}` : undefined,
    close: () =>
      closeInOrder([
        ['the worker', async () => worker?.stop()],
        ['the gateway', gateway.close],
        ['the Telegram sandbox', telegram.close],
        ['catalog, orders and the Pakasir sandbox', stack.close],
      ]),
  };
}

/** The customer pays an invoice on the Pakasir sandbox's pay page; its webhook reaches orders over HTTP. */
export async function payInSandbox(sys: BotSystem, invoiceId: string): Promise<void> {
  const tx = sys.stack.sandbox.transaction(invoiceId)!;
  const res = await fetch(
    `${sys.stack.sandbox.url}/pay/${PROJECT}/${tx.amount}/confirm?order_id=${invoiceId}`,
    { method: 'POST' },
  );
  expect(res.status).toBe(200);
}

/** The text a PNG QR code holds. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/**
 * Sessions and rate-limit counters live in the one real Redis, shared by every test file and every run:
 * a user id must never come back, or a test inherits another's counters.
 */
export const newUserId = () => randomInt(1_000_000_000, 2_000_000_000);
