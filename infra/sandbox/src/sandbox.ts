import { createApp, createLogger, NotFound, serve, type Logger } from '@quickcart/kit';
import { pakasirApiRoutes, type Projects } from './api-routes';
import { controlRoutes } from './control-routes';
import { Faults } from './faults';
import { Ledger, type SandboxTransaction } from './ledger';
import { payPageRoutes } from './pay-page';
import { pakasirTieredFee, type SandboxQrisFee } from './qris-fee';
import { WebhookSender } from './webhook';

export interface PakasirSandboxOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  projects: Record<string, { apiKey: string; webhookUrl?: string }>;
  /** How long a QRIS payment stays payable; default 60. */
  expiryMinutes?: number;
  /** Silent when not given, so tests stay quiet. */
  logger?: Logger;
  /** Refuse a second create for an order_id (Ledger). Default on: the product must not depend on it. */
  strictOrderIds?: boolean;
  /** The fee charged; default Pakasir's tiered fee, by the sandbox's own code. */
  qrisFee?: SandboxQrisFee;
  /** The fee of another method of the page; default the one methods.ts states. */
  methodFee?: (method: string, amount: number) => number | undefined;
}

export interface PakasirSandbox {
  /** http://127.0.0.1:port, to use as the Pakasir base URL. */
  url: string;
  port: number;
  faults: Faults;
  setWebhookUrl(project: string, url: string | undefined): void;
  /** A copy of the payment as the sandbox holds it, or undefined. */
  transaction(orderId: string, project?: string): SandboxTransaction | undefined;
  /** The customer pays, exactly as POST /api/paymentsimulation. */
  pay(orderId: string, project?: string): SandboxTransaction;
  /** Resolves once every webhook started so far has been delivered (or failed). */
  webhooksSettled(): Promise<void>;
  close(): Promise<void>;
}

/** A local Pakasir (docs/features.md §6) for end-to-end tests and for `npm start` without a real gateway. */
export async function startPakasirSandbox(options: PakasirSandboxOptions): Promise<PakasirSandbox> {
  const logger = options.logger ?? createLogger('pakasir-sandbox', 'silent');
  const projects: Projects = new Map(
    Object.entries(options.projects).map(([name, p]) => [name, { apiKey: p.apiKey }]),
  );
  const faults = new Faults();
  const ledger = new Ledger({
    expiryMs: (options.expiryMinutes ?? 60) * 60_000,
    fee: options.qrisFee ?? pakasirTieredFee,
    ...(options.methodFee ? { methodFee: options.methodFee } : {}),
    strictOrderIds: options.strictOrderIds ?? true,
  });
  const webhooks = new WebhookSender(faults, logger);
  for (const [name, p] of Object.entries(options.projects)) webhooks.setUrl(name, p.webhookUrl);

  const completePayment = (tx: SandboxTransaction): void => {
    const firstTime = ledger.complete(tx);
    if (firstTime) logger.info('payment completed', { project: tx.project, orderId: tx.orderId });
    webhooks.announce(tx, firstTime);
  };

  const { app, finish } = createApp({
    logger,
    access: 'public', // it plays Pakasir, which the whole world reaches
  });
  app.use(faults.middleware());
  app.use(pakasirApiRoutes({ projects, ledger, faults, completePayment }));
  app.use(payPageRoutes({ ledger, completePayment }));
  app.use(controlRoutes({ faults, ledger, webhooks, knownProject: (p) => projects.has(p) }));
  const server = await serve(finish(), { port: options.port ?? 0, host: '127.0.0.1' }, logger, () =>
    webhooks.settled(),
  );

  const find = (orderId: string, project?: string): SandboxTransaction => {
    const tx = ledger.find(orderId, project);
    if (!tx) throw new NotFound(`no transaction for order_id ${orderId}`, 'transaction');
    return tx;
  };
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    faults,
    setWebhookUrl: (project, url) => {
      if (!projects.has(project)) throw new NotFound(`no project ${project}`, 'project');
      webhooks.setUrl(project, url);
    },
    transaction: (orderId, project) => {
      const tx = ledger.find(orderId, project);
      return tx && { ...tx };
    },
    pay: (orderId, project) => {
      const tx = find(orderId, project);
      completePayment(tx);
      return { ...tx };
    },
    webhooksSettled: () => webhooks.settled(),
    close: server.close,
  };
}
