import { CatalogClient } from '@quickcart/catalog/client';
import { createLogger, temporalConnectionOptions } from '@quickcart/kit';
import { NotifyClient } from '@quickcart/notify';
import { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from './config';
import { startHeartbeat } from './heartbeat';
import { workflowSource } from './workflow-bundle';
import { createWorkers, ensureReconciliationSchedule } from '.';

/** The worker process: wires the real clients and runs until SIGTERM/SIGINT (the SDK drains on them). */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  // Both read now: a missing certificate or bundle stops the start with the variable's name.
  const temporal = temporalConnectionOptions(config);
  const workflows = workflowSource(config.WORKFLOW_BUNDLE_PATH);
  const logger = createLogger('worker', config.LOG_LEVEL);
  // The SDK's own messages go through the same JSON logger, warnings and up.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      logger.log(level.toLowerCase(), message, meta),
    ),
  });
  const connection = await NativeConnection.connect(temporal);
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.PAYMENTS_TASK_QUEUE,
    workflows,
    telegramPerSecond: config.TELEGRAM_RATE_PER_SECOND,
    deps: {
      catalog: new CatalogClient({ baseUrl: config.CATALOG_URL, token: config.WORKER_API_TOKEN }),
      orders: new OrdersClient({ baseUrl: config.ORDERS_URL, token: config.WORKER_API_TOKEN }),
      notify: new NotifyClient({ baseUrl: config.GATEWAY_URL, token: config.WORKER_API_TOKEN }),
      pakasir: new PakasirClient({
        baseUrl: config.PAKASIR_BASE_URL,
        project: config.PAKASIR_PROJECT,
        apiKey: config.PAKASIR_API_KEY,
      }),
      logger,
    },
  });
  // The worker that can run reconciliation is the one that makes sure its schedule exists.
  const client = new Client({
    connection: await Connection.connect(temporal),
    namespace: config.TEMPORAL_NAMESPACE,
  });
  await ensureReconciliationSchedule(client, {
    taskQueue: config.PAYMENTS_TASK_QUEUE,
    every: config.RECONCILE_EVERY,
    input: { windowHours: config.RECONCILE_WINDOW_HOURS },
  });
  await client.connection.close();
  logger.info('worker running', {
    address: config.TEMPORAL_ADDRESS,
    workflows: 'codePath' in workflows ? 'prebuilt bundle' : 'bundled at start',
  });
  const heartbeat = config.WORKER_HEARTBEAT_FILE
    ? startHeartbeat(config.WORKER_HEARTBEAT_FILE, workers.isRunning)
    : undefined;
  try {
    await workers.run();
  } finally {
    await heartbeat?.stop();
  }
  await connection.close();
}

main().catch((error: Error) => {
  createLogger('worker').error('worker failed', { message: error.message });
  process.exit(1);
});
