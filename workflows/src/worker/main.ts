import { CatalogClient } from '@quickcart/catalog/client';
import { CallTally, createLogger, createMetricsRegistry, temporalConnectionOptions } from '@quickcart/kit';
import { NotifyClient } from '@quickcart/notify';
import { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient, pakasirCallMetrics } from '@quickcart/pakasir';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from './config';
import { startHeartbeat } from './heartbeat';
import { workflowSource } from './workflow-bundle';
import { createWorkers, ensureReconciliationSchedule } from '.';
import { workerMetrics } from './metrics';
import { serveWorkerListener } from './listener';

/** The worker process: wires the real clients and runs until SIGTERM/SIGINT (the SDK drains on them). */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  // Both read now: a missing certificate or bundle stops the start with the variable's name.
  const temporal = temporalConnectionOptions(config);
  const workflows = workflowSource(config.WORKFLOW_BUNDLE_PATH);
  const logger = createLogger('worker', config.LOG_LEVEL);
  // The SDK's own messages go through the same JSON logger, warnings and up; its metrics are served on
  // 127.0.0.1 only, and read from there by the worker's own /metrics (listener.ts). Once per process,
  // before any connection.
  const sdkMetrics = `127.0.0.1:${config.TEMPORAL_METRICS_PORT}`;
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      logger.log(level.toLowerCase(), message, meta),
    ),
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: sdkMetrics,
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  const registry = createMetricsRegistry();
  const metrics = workerMetrics(registry);
  // The listener opens first: /health says the process is up while it still connects (a supervisor
  // waits for it), /ready only once Temporal answers and both workers poll.
  const started: { connection?: NativeConnection; workers?: Awaited<ReturnType<typeof createWorkers>> } = {};
  const listener = await serveWorkerListener({
    config,
    logger,
    registry,
    sdkMetricsUrl: `http://${sdkMetrics}/metrics`,
    ready: {
      temporal: async () => {
        if (!started.connection) throw new Error('not connected yet');
        await started.connection.workflowService.getSystemInfo({});
      },
      worker: async () => {
        const state = started.workers?.state() ?? 'not created yet';
        if (state !== 'RUNNING') throw new Error(`worker ${state}`);
      },
    },
  });
  const connection = await NativeConnection.connect(temporal);
  started.connection = connection;
  const orders = new OrdersClient({ baseUrl: config.ORDERS_URL, token: config.WORKER_API_TOKEN });
  // Pakasir's answers go to orders too, for the owner's "Pakasir keeps refusing" (docs/operations.md §16).
  const pakasirCalls = new CallTally();
  pakasirCalls.start((results) => orders.reportDependencyCalls('pakasir', results), logger);
  const countPakasirCall = pakasirCallMetrics(registry);
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.PAYMENTS_TASK_QUEUE,
    workflows,
    telegramPerSecond: config.TELEGRAM_RATE_PER_SECOND,
    deps: {
      catalog: new CatalogClient({ baseUrl: config.CATALOG_URL, token: config.WORKER_API_TOKEN }),
      orders,
      notify: new NotifyClient({ baseUrl: config.GATEWAY_URL, token: config.WORKER_API_TOKEN }),
      pakasir: new PakasirClient({
        baseUrl: config.PAKASIR_BASE_URL,
        project: config.PAKASIR_PROJECT,
        apiKey: config.PAKASIR_API_KEY,
        ...(config.BOT_USERNAME ? { redirectUrl: `https://t.me/${config.BOT_USERNAME}` } : {}),
        observe: (call) => {
          countPakasirCall(call);
          pakasirCalls.count(call.result);
        },
      }),
      logger,
    },
    metrics,
  });
  started.workers = workers;
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
    await pakasirCalls.stop();
    await listener.close();
  }
  await connection.close();
}

main().catch((error: Error) => {
  createLogger('worker').error('worker failed', { message: error.message });
  process.exit(1);
});
