import { AuditLog, AuditOutbox } from '@quickcart/audit';
import { CatalogClient } from '@quickcart/catalog/client';
import { connectSequelize, databaseGauges, ensureDatabase, migrate } from '@quickcart/db';
import {
  createApp,
  createLogger,
  createMetricsRegistry,
  serve,
  type Logger,
  type RegisteredRoute,
} from '@quickcart/kit';
import { PakasirClient } from '@quickcart/pakasir';
import { Broadcasts } from './admin/broadcasts';
import { ShopSettings } from './admin/shop-settings';
import type { OrdersConfig } from './config';
import { ordersMigrations } from './db/migrations';
import { Ledger } from './ledger/ledger';
import { Checkout } from './orders/checkout';
import { FaultHold } from './orders/fault-hold';
import { OrderStore } from './orders/order-store';
import { ShopStats } from './orders/stats';
import { broadcastGauge, ordersMetrics, stuckOrdersGauge } from './metrics';
import { LatePayments } from './payments/late-payments';
import { PaymentConfirmation } from './payments/payment-confirmation';
import { ShopWorkflows } from './shop-workflows';
import { repeat } from './payments/repeating';
import { ReservationSweep } from './payments/reservation-sweep';
import { WorkflowStarts } from './payments/workflow-starts';
import { orderRoutes } from './routes/orders';
import { PAKASIR_WEBHOOK_PATH, pakasirWebhookRoutes } from './routes/pakasir-webhook';
import { adminRoutes } from './routes/admin';
import { latePaymentRoutes } from './routes/late-payments';
import { userRoutes } from './routes/users';
import { Users } from './users/users';
import { Vouchers } from './vouchers/vouchers';

export interface RunningOrders {
  /** The internal API. */
  port: number;
  /** The public listener: the Pakasir webhook and /health only. */
  webhookPort: number;
  routes: { internal: RegisteredRoute[]; public: RegisteredRoute[] };
  close: () => Promise<void>;
  logger: Logger;
}

/**
 * Creates the databases if missing, migrates, connects to Temporal, and serves the orders API on two
 * listeners (docs/security.md): the internal API, and a public one with only Pakasir's webhook.
 */
export async function startOrders(config: OrdersConfig): Promise<RunningOrders> {
  const logger = createLogger('orders', config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  const sequelize = connectSequelize({
    url: config.DATABASE_URL,
    logger,
    models: [],
    applicationName: 'orders',
    poolMax: config.ORDERS_DB_POOL_MAX,
  });
  const applied = await migrate(sequelize, 'orders_migrations', ordersMigrations);
  if (applied.length > 0) logger.info('migrated', { applied });
  const audit = await AuditLog.open(config.AUDIT_DATABASE_URL, { logger });
  const outbox = new AuditOutbox(sequelize, 'orders.audit_outbox', audit, logger);
  outbox.start();
  const workflows = await ShopWorkflows.connect(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, {
    taskQueue: config.PAYMENTS_TASK_QUEUE,
    timing: { paymentTimeoutMs: config.PAYMENT_TIMEOUT, pollIntervalMs: config.PAYMENT_POLL_INTERVAL },
  });
  const registry = createMetricsRegistry();
  const metrics = ordersMetrics(registry);
  databaseGauges(registry, sequelize, 'orders.audit_outbox');
  broadcastGauge(registry, sequelize);
  stuckOrdersGauge(registry, sequelize, config.PAYMENT_TIMEOUT);
  const pakasir = new PakasirClient({
    baseUrl: config.PAKASIR_BASE_URL,
    project: config.PAKASIR_PROJECT,
    apiKey: config.PAKASIR_API_KEY,
    observe: metrics.pakasirCalls,
  });

  const users = new Users(sequelize, outbox, new Set(config.ADMIN_IDS));
  const ledger = new Ledger(sequelize, outbox);
  const vouchers = new Vouchers(sequelize, outbox);
  const orders = new OrderStore(sequelize, outbox, vouchers, metrics.statusChanged);
  const catalog = new CatalogClient({ baseUrl: config.CATALOG_URL, token: config.INTERNAL_API_TOKEN });
  const starts = new WorkflowStarts({
    sequelize,
    orders,
    workflows,
    catalog,
    logger,
    graceMs: config.WORKFLOW_START_GRACE,
    staleAfterMs: config.PAYMENT_TIMEOUT,
  });
  const checkout = new Checkout({
    sequelize,
    users,
    orders,
    catalog,
    starts,
    vouchers,
    feeModel: config.QRIS_FEE_TIERS,
    logger,
    hold: new FaultHold(config.QC_FAULT_HOLD, logger),
  });
  // Issue 12: what a crash, a lost connection or an older version left is finished here, from the
  // database: workflow starts still in the outbox, pending orders without a workflow, orphaned stock.
  const reservations = new ReservationSweep({ sequelize, catalog, logger });
  const background = [
    repeat('workflow start relay', 2_000, () => starts.relay(), logger),
    // Apart, so stock is still released while Temporal cannot be asked about orders.
    repeat(
      'sweep of orders without a workflow',
      config.ORPHAN_SWEEP_INTERVAL,
      () => starts.adoptOrphans(),
      logger,
    ),
    repeat(
      'sweep of orphaned stock',
      config.ORPHAN_SWEEP_INTERVAL,
      () => reservations.releaseOrphans(),
      logger,
    ),
  ];
  const health = async () => {
    await sequelize.query('SELECT 1');
    return { service: 'orders' };
  };
  const { app, finish } = createApp({
    logger,
    health,
    access: { internalToken: config.INTERNAL_API_TOKEN },
    metrics: { registry },
    ready: {
      database: () => sequelize.query('SELECT 1'),
      temporal: () => workflows.ping(),
    },
  });
  const settings = new ShopSettings(sequelize, outbox);
  app.use(userRoutes(users, ledger, orders));
  app.use(
    adminRoutes({
      settings,
      broadcasts: new Broadcasts(sequelize, outbox, workflows),
      vouchers,
      audit,
      outbox,
    }),
  );
  app.use(
    latePaymentRoutes(
      new LatePayments(sequelize, outbox, orders, ledger, (order) =>
        metrics.lateRefunded(order, order.amount),
      ),
    ),
  );
  const confirmation = new PaymentConfirmation(orders, pakasir, workflows, logger);
  app.use(
    orderRoutes({ orders, checkout, confirmation, workflows, stats: new ShopStats(sequelize, settings) }),
  );

  const webhook = createApp({
    logger,
    health,
    access: 'public',
    secretPathPrefixes: [PAKASIR_WEBHOOK_PATH],
  });
  webhook.app.use(
    pakasirWebhookRoutes({
      confirmation,
      pakasirProject: config.PAKASIR_PROJECT,
      webhookSecret: config.PAKASIR_WEBHOOK_SECRET,
      logger,
      observe: metrics,
    }),
  );
  const publicServer = await serve(
    webhook.finish(),
    { port: config.PAKASIR_WEBHOOK_PORT, host: config.PUBLIC_BIND_HOST, name: 'pakasir-webhook' },
    logger,
  );
  const server = await serve(
    finish(),
    { port: config.ORDERS_PORT, host: config.BIND_HOST },
    logger,
    async () => {
      await publicServer.close();
      await Promise.all(background.map((b) => b.stop()));
      outbox.stop();
      await outbox.flushSoon();
      await workflows.close();
      await sequelize.close();
      await audit.close();
    },
  );
  return {
    port: server.port,
    webhookPort: publicServer.port,
    routes: { internal: server.routes, public: publicServer.routes },
    close: server.close,
    logger,
  };
}
