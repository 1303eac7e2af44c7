import { AuditLog, AuditOutbox } from '@quickcart/audit';
import { CatalogClient } from '@quickcart/catalog/client';
import { connectSequelize, databaseGauges, ensureDatabase, migrate } from '@quickcart/db';
import {
  CallTally,
  callerDigestsOf,
  createApp,
  createLogger,
  createMetricsRegistry,
  serve,
  temporalConnectionOptions,
  type Logger,
  type RegisteredRoute,
} from '@quickcart/kit';
import { NotifyClient } from '@quickcart/notify';
import { PakasirClient } from '@quickcart/pakasir';
import { Broadcasts } from './admin/broadcasts';
import { ShopSettings } from './admin/shop-settings';
import type { OrdersConfig } from './config';
import { ordersMigrations } from './db/migrations';
import { FraudFlags } from './fraud/fraud-flags';
import { AdminDigest } from './operations/admin-digest';
import { AdminNotices } from './operations/admin-notices';
import { adminDigestRoutes } from './routes/admin-digest';
import { OwnerAlerts } from './operations/owner-alerts';
import { DependencyCalls } from './operations/dependency-calls';
import { dependencyCallRoutes } from './routes/dependency-calls';
import { Ledger } from './ledger/ledger';
import { Checkout } from './orders/checkout';
import { OpeningSeal } from './orders/opening-seal';
import { BalancePayment } from './orders/balance-payment';
import { FaultHold } from './orders/fault-hold';
import { OrderStore } from './orders/order-store';
import { ShopStats } from './orders/stats';
import { broadcastGauge, ordersMetrics, stuckOrdersGauge } from './metrics';
import { LatePayments } from './payments/late-payments';
import { PaymentConfirmation } from './payments/payment-confirmation';
import { ShopWorkflows } from './shop-workflows';
import { temporalReadiness } from './temporal-readiness';
import { repeat } from './payments/repeating';
import { ReservationSweep } from './payments/reservation-sweep';
import { WorkflowStarts } from './payments/workflow-starts';
import { orderRoutes } from './routes/orders';
import { PAKASIR_WEBHOOK_PATH, pakasirWebhookGuard, pakasirWebhookRoutes } from './routes/pakasir-webhook';
import { adminRoutes } from './routes/admin';
import { operationsRoutes } from './routes/operations';
import { StuckOrders } from './operations/stuck-orders';
import { latePaymentRoutes } from './routes/late-payments';
import { reportRoutes } from './routes/reports';
import { OrderExport } from './reports/order-export';
import { SalesReports } from './reports/sales-report';
import { userRoutes } from './routes/users';
import { Users } from './users/users';
import { Vouchers } from './vouchers/vouchers';
import { warrantyRoutes } from './routes/warranty';
import { WarrantyClaims } from './warranty/warranty-claims';

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
  // Read first: a missing certificate file stops the start before anything else is touched.
  const temporal = temporalConnectionOptions(config);
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
  const workflows = await ShopWorkflows.connect(temporal, config.TEMPORAL_NAMESPACE, {
    taskQueue: config.PAYMENTS_TASK_QUEUE,
    timing: { paymentTimeoutMs: config.PAYMENT_TIMEOUT, pollIntervalMs: config.PAYMENT_POLL_INTERVAL },
    callTimeoutMs: config.CHECKOUT_TIMEOUT,
    answerTimeoutMs: config.CHECKOUT_ANSWER_TIMEOUT,
  });
  const temporalReady = temporalReadiness(temporal);
  const registry = createMetricsRegistry();
  const metrics = ordersMetrics(registry);
  databaseGauges(registry, sequelize, 'orders.audit_outbox');
  broadcastGauge(registry, sequelize);
  stuckOrdersGauge(registry, sequelize, config.PAYMENT_TIMEOUT + config.STUCK_GRACE);
  // Orders' own Pakasir calls are tallied as the worker's are, for the owner's refusing alert.
  const calls = new DependencyCalls(sequelize);
  const pakasirCalls = new CallTally();
  pakasirCalls.start((results) => calls.record('pakasir', results), logger);
  const pakasir = new PakasirClient({
    baseUrl: config.PAKASIR_BASE_URL,
    project: config.PAKASIR_PROJECT,
    apiKey: config.PAKASIR_API_KEY,
    observe: (call) => {
      metrics.pakasirCalls(call);
      pakasirCalls.count(call.result);
    },
  });

  const users = new Users(sequelize, outbox, new Set(config.ADMIN_IDS));
  const ledger = new Ledger(sequelize, outbox);
  const vouchers = new Vouchers(sequelize, outbox);
  const orders = new OrderStore(
    sequelize,
    outbox,
    vouchers,
    new BalancePayment(ledger),
    metrics.statusChanged,
  );
  const catalog = new CatalogClient({ baseUrl: config.CATALOG_URL, token: config.ORDERS_API_TOKEN });
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
    workflows,
    seal: new OpeningSeal(config.ORDERS_API_TOKEN),
    vouchers,
    feeModel: config.QRIS_FEE_TIERS,
    timeoutMs: config.CHECKOUT_ANSWER_TIMEOUT,
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
    access: { callers: callerDigestsOf(config) },
    metrics: { registry },
    ready: {
      database: () => sequelize.query('SELECT 1'),
      temporal: temporalReady.check,
    },
  });
  const settings = new ShopSettings(sequelize, outbox);
  const notify = new NotifyClient({ baseUrl: config.GATEWAY_URL, token: config.ORDERS_API_TOKEN });
  const notices = new AdminNotices(notify, users, logger);
  const digest = new AdminDigest({
    sequelize,
    notify,
    users,
    settings,
    logger,
    oneByOne: config.ADMIN_DIGEST_SECONDS === 0,
  });
  app.use(adminDigestRoutes(digest));
  background.push(
    repeat(
      'admin digest',
      Math.max(1_000, config.ADMIN_DIGEST_SECONDS * 1_000),
      () => digest.sendDue(),
      logger,
    ),
  );
  const fraud = new FraudFlags({
    sequelize,
    outbox,
    digest,
    logger,
    thresholds: {
      maxPaymentsPerHour: config.FRAUD_MAX_PAYMENTS_PER_HOUR,
      maxDailyTotal: config.FRAUD_MAX_DAILY_TOTAL,
      largeTransaction: config.FRAUD_LARGE_TRANSACTION,
      youngAccountHours: config.FRAUD_YOUNG_ACCOUNT_HOURS,
      youngAccountAmount: config.FRAUD_YOUNG_ACCOUNT_AMOUNT,
      smallTransaction: config.FRAUD_SMALL_TRANSACTION,
      smallTransactionsPerHour: config.FRAUD_SMALL_TRANSACTIONS_PER_HOUR,
    },
  });
  const claims = new WarrantyClaims({ sequelize, outbox, orders, ledger, settings });
  app.use(userRoutes(users, ledger, orders, fraud, claims));
  app.use(
    adminRoutes({
      users,
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
    orderRoutes({
      orders,
      checkout,
      confirmation,
      workflows,
      stats: new ShopStats(sequelize, settings, claims),
      fraud,
      logger,
    }),
  );
  app.use(
    reportRoutes({
      reports: new SalesReports(sequelize),
      exports: new OrderExport(sequelize, outbox),
      timezone: config.SHOP_TIMEZONE,
      logger,
    }),
  );
  const stuck = new StuckOrders({
    sequelize,
    orders,
    workflows,
    pakasir,
    confirmation,
    outbox,
    logger,
    overdueAfterMs: config.PAYMENT_TIMEOUT + config.STUCK_GRACE,
  });
  app.use(operationsRoutes(stuck, users));
  app.use(warrantyRoutes({ claims, workflows, users, logger }));
  const alerts = new OwnerAlerts({
    sequelize,
    stuck,
    notices,
    chatIds: config.OWNER_ALERT_CHAT === undefined ? undefined : [config.OWNER_ALERT_CHAT],
    outboxBacklogMs: config.ALERT_OUTBOX_BACKLOG,
    backupMaxAgeMs: config.ALERT_BACKUP_MAX_AGE,
    calls,
    refusingWindowMs: config.ALERT_REFUSING_WINDOW,
    refusingForMs: config.ALERT_REFUSING_FOR,
    workflows,
    workerSilenceMs: config.ALERT_WORKER_SILENCE,
  });
  app.use(dependencyCallRoutes(calls));
  background.push(repeat("owner's alerts", config.ALERT_CHECK_INTERVAL, () => alerts.check(), logger));

  const webhook = createApp({
    logger,
    access: 'public',
    secretPathPrefixes: [PAKASIR_WEBHOOK_PATH],
    guard: pakasirWebhookGuard(config.PAKASIR_WEBHOOK_SECRET),
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
      await pakasirCalls.stop();
      outbox.stop();
      await outbox.flushSoon();
      await workflows.close();
      await temporalReady.close();
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
