import { CatalogClient } from '@quickcart/catalog/client';
import { createLogger } from '@quickcart/kit';
import { PakasirClient } from '@quickcart/pakasir';
import { createPaymentActivities } from '../../../workflows/src/worker/activities';
import { NativeConnection, Worker } from '@temporalio/worker';
import { bundle } from '../../../workflows/test/temporal';
import { OrdersClient } from '../src/client';

/** A worker that only opens the orders of presses (opening-only-workflows.ts), on a stack's task queue. */
export async function startOpeningWorker(o: {
  temporalAddress?: string;
  taskQueue: string;
  ordersUrl: string;
  catalogUrl: string;
  pakasirUrl: string;
  project: string;
  apiKey: string;
  workerToken: string;
}): Promise<{ stop: () => Promise<void> }> {
  const connection = await NativeConnection.connect({ address: o.temporalAddress });
  const activities = createPaymentActivities({
    catalog: new CatalogClient({ baseUrl: o.catalogUrl, token: o.workerToken }),
    orders: new OrdersClient({ baseUrl: o.ordersUrl, token: o.workerToken }),
    pakasir: new PakasirClient({ baseUrl: o.pakasirUrl, project: o.project, apiKey: o.apiKey }),
    logger: createLogger('worker', 'silent'),
  });
  const worker = await Worker.create({
    connection,
    taskQueue: o.taskQueue,
    workflowBundle: await bundle(require.resolve('./opening-only-workflows')),
    activities: { openPayment: activities.openPayment },
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
