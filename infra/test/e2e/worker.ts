import { createLogger } from '@quickcart/kit';
import { NotifyClient } from '@quickcart/notify';
import { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { createWorkers } from '@quickcart/workflows/worker';
import { NativeConnection } from '@temporalio/worker';
import { API_KEY, PROJECT, type TestStack } from '../../../services/orders/test/stack';
import { bundle } from '../../../workflows/test/temporal';

/** The real worker, with real clients, on the stack's task queue; messages go to `notifyUrl`. */
export async function startWorker(
  stack: TestStack,
  notifyUrl: string,
): Promise<{ stop: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const workers = await createWorkers({
    connection,
    taskQueue: stack.taskQueue,
    workflows: await bundle(require.resolve('../../../workflows/src/workflows')),
    deps: {
      catalog: stack.catalog,
      orders: new OrdersClient({ baseUrl: stack.ordersUrl, token: stack.token }),
      notify: new NotifyClient({ baseUrl: notifyUrl, token: stack.token }),
      pakasir: new PakasirClient({ baseUrl: stack.sandbox.url, project: PROJECT, apiKey: API_KEY }),
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
