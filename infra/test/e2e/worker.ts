import { CatalogClient } from '@quickcart/catalog/client';
import { createLogger } from '@quickcart/kit';
import { NotifyClient, startNotifyRecorder } from '@quickcart/notify';
import { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { createWorkers } from '@quickcart/workflows/worker';
import { NativeConnection } from '@temporalio/worker';
import { API_KEY, PROJECT, startTestStack, type TestStack } from '../../../services/orders/test/stack';
import { bundle } from '../../../workflows/test/temporal';

/** The Telegram sandbox's bot, where Pakasir's page sends the customer back after paying (BOT_USERNAME). */
export const E2E_BOT_LINK = 'https://t.me/quickcart_sandbox_bot';

/** The real worker, with real clients, on the stack's task queue; messages go to `notifyUrl`. */
export async function startWorker(
  stack: TestStack,
  notifyUrl: string,
  temporalAddress = process.env.TEMPORAL_ADDRESS,
): Promise<{ stop: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const workers = await createWorkers({
    connection,
    taskQueue: stack.taskQueue,
    workflows: await bundle(require.resolve('../../../workflows/src/workflows')),
    deps: {
      catalog: new CatalogClient({ baseUrl: stack.catalogUrl, token: stack.tokens.worker }),
      orders: new OrdersClient({ baseUrl: stack.ordersUrl, token: stack.tokens.worker }),
      notify: new NotifyClient({ baseUrl: notifyUrl, token: stack.tokens.worker }),
      pakasir: new PakasirClient({
        baseUrl: stack.sandbox.url,
        project: PROJECT,
        apiKey: API_KEY,
        redirectUrl: E2E_BOT_LINK,
      }),
      logger: createLogger('worker', 'silent'),
    },
  });
  const running = workers.run();
  return {
    stop: async () => {
      workers.shutdown();
      await running;
      await connection.close();
    },
  };
}

/**
 * Catalog, orders and the real worker, with the gateway's /notify played by a recorder (which wants the
 * worker's token, as the gateway does): for payment tests that read what would have been sent.
 */
export async function startRecordedSystem(timing: { paymentTimeout: string; pollInterval: string }) {
  const stack = await startTestStack({ ...timing, worker: 'none' });
  const recorder = await startNotifyRecorder({ token: stack.tokens.worker });
  const worker = await startWorker(stack, recorder.url);
  return {
    stack,
    recorder,
    close: async () => {
      await worker.stop();
      await recorder.close();
      await stack.close();
    },
  };
}
export type RecordedSystem = Awaited<ReturnType<typeof startRecordedSystem>>;
