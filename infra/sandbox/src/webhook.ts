import type { Logger } from '@quickcart/kit';
import type { PakasirWebhookBody } from '@quickcart/pakasir';
import type { Faults } from './faults';
import type { SandboxTransaction } from './ledger';

/**
 * Sends Pakasir's payment webhook. Deliveries start after the simulation has been answered, as Pakasir's
 * do, and are tracked so tests (and close) can wait for them instead of sleeping. The URL is never
 * logged: QuickCart serves its webhook at a secret path (docs/features.md §6).
 */
export class WebhookSender {
  private readonly urls = new Map<string, string>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly faults: Faults,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  setUrl(project: string, url: string | undefined): void {
    if (url === undefined) this.urls.delete(project);
    else this.urls.set(project, url);
  }

  /** `firstTime`: this simulation paid it. A repeat sends nothing unless duplicates are switched on. */
  announce(tx: SandboxTransaction, firstTime: boolean): void {
    const { dropWebhook, duplicateWebhook } = this.faults.get();
    const times = dropWebhook ? 0 : (firstTime ? 1 : 0) + (duplicateWebhook ? 1 : 0);
    const url = this.urls.get(tx.project);
    if (times === 0) return;
    if (url === undefined) {
      this.logger.warn('no webhook url for project', { project: tx.project, orderId: tx.orderId });
      return;
    }
    // Pakasir marks webhooks from sandbox projects; every project here is one.
    const body: PakasirWebhookBody = {
      amount: tx.amount,
      order_id: tx.orderId,
      project: tx.project,
      status: 'completed',
      payment_method: tx.paymentMethod,
      completed_at: tx.completedAt,
      is_sandbox: true,
    };
    const delivery = (async () => {
      await new Promise((resolve) => setImmediate(resolve)); // let the answer go out first
      for (let i = 0; i < times; i++) {
        tx.webhooksSent++;
        await this.post(url, body);
      }
    })();
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves once every delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async post(url: string, body: PakasirWebhookBody): Promise<void> {
    const where = { project: body.project, orderId: body.order_id };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) this.logger.info('webhook delivered', where);
      else this.logger.warn('webhook refused', { ...where, status: res.status });
    } catch (error) {
      this.logger.warn('webhook failed', { ...where, message: (error as Error).message });
    }
  }
}
