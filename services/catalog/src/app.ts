import { AuditLog, AuditOutbox } from '@quickcart/audit';
import { connectSequelize, databaseGauges, ensureDatabase, migrate } from '@quickcart/db';
import {
  callerDigestsOf,
  createApp,
  createLogger,
  createMetricsRegistry,
  FaultHold,
  serve,
  type Logger,
  type RegisteredRoute,
} from '@quickcart/kit';
import type { CatalogConfig } from './config';
import { catalogMigrations } from './db/migrations';
import { catalogModels } from './db/models';
import { stockGauge } from './metrics';
import { ProductAdmin } from './products/admin';
import { ProductQueries } from './products/queries';
import { catalogRoutes } from './routes';
import { Reservations } from './stock/reservations';
import { StockAdmin } from './stock/stock-admin';

export interface RunningCatalog {
  port: number;
  /** Every route it serves: catalog has only internal ones. */
  routes: { internal: RegisteredRoute[]; public: RegisteredRoute[] };
  close: () => Promise<void>;
  logger: Logger;
}

/** Creates the database if missing, migrates, and serves the catalog API. Used by main.ts and tests. */
export async function startCatalog(config: CatalogConfig): Promise<RunningCatalog> {
  const logger = createLogger('catalog', config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL);
  const sequelize = connectSequelize({
    url: config.DATABASE_URL,
    logger,
    models: catalogModels,
    applicationName: 'catalog',
    poolMax: config.CATALOG_DB_POOL_MAX,
  });
  const applied = await migrate(sequelize, 'catalog_migrations', catalogMigrations);
  if (applied.length > 0) logger.info('migrated', { applied });
  // Admin changes to products and stock: entries go to the outbox with the change, then here.
  const audit = await AuditLog.open(config.AUDIT_DATABASE_URL, { logger });
  const outbox = new AuditOutbox(sequelize, 'catalog.audit_outbox', audit, logger);
  outbox.start();

  const queries = new ProductQueries(sequelize);
  const registry = createMetricsRegistry();
  databaseGauges(registry, sequelize, 'catalog.audit_outbox');
  stockGauge(registry, sequelize);
  const { app, finish } = createApp({
    logger,
    access: { callers: callerDigestsOf(config) },
    metrics: { registry },
    ready: { database: () => sequelize.query('SELECT 1') },
    health: async () => {
      await sequelize.query('SELECT 1');
      return { service: 'catalog' };
    },
  });
  app.use(
    catalogRoutes({
      queries,
      admin: new ProductAdmin(sequelize, queries, outbox),
      stock: new StockAdmin(sequelize, outbox),
      reservations: new Reservations(sequelize),
      hold: new FaultHold(config.QC_FAULT_HOLD, logger),
    }),
  );
  const server = await serve(
    finish(),
    { port: config.CATALOG_PORT, host: config.BIND_HOST },
    logger,
    async () => {
      outbox.stop();
      await outbox.flushSoon();
      await sequelize.close();
      await audit.close();
    },
  );
  return { port: server.port, routes: { internal: server.routes, public: [] }, close: server.close, logger };
}
