import type { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, createLogger, Invalid, Upstream } from '@quickcart/kit';
import { NOTIFY_REASONS, type NotifyClient, type NotifyRequest } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { ApplicationFailure } from '@temporalio/common';
import { createMessageActivities, createPaymentActivities } from '../src/worker/activities';

const PROJECT = 'qc-activities';
const API_KEY = 'activities-key';

describe('paymentStatus: paid, unpaid or unknown (issue 11, defect 4)', () => {
  let sandbox: PakasirSandbox;
  let pakasir: PakasirClient;
  const logger = createLogger('worker', 'silent');
  const warn = jest.spyOn(logger, 'warn');
  const activities = () =>
    createPaymentActivities({
      pakasir,
      logger,
      catalog: {} as CatalogClient,
      orders: {} as OrdersClient,
    });
  let seq = 0;
  /** A fresh invoice of Rp25.000 at the sandbox. */
  async function invoice(): Promise<{ invoiceId: string; amount: number }> {
    const ref = { invoiceId: `INVACT${process.pid}${++seq}`, amount: 25_000 };
    await pakasir.createQris({ orderId: ref.invoiceId, amount: ref.amount });
    return ref;
  }

  beforeAll(async () => {
    sandbox = await startPakasirSandbox({ projects: { [PROJECT]: { apiKey: API_KEY } } });
    pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY });
  });
  afterAll(() => sandbox?.close());
  afterEach(() => {
    sandbox.faults.reset();
    warn.mockClear();
  });

  it('is unpaid while Pakasir says pending, and paid once it says completed with the amount', async () => {
    const ref = await invoice();
    expect(await activities().paymentStatus(ref)).toEqual({ state: 'unpaid', status: 'pending' });
    await pakasir.simulatePayment({ orderId: ref.invoiceId, amount: ref.amount });
    expect(await activities().paymentStatus(ref)).toMatchObject({ state: 'paid' });
  });

  it('is unknown, and logged with the invoice id, when Pakasir answers the detail call with a 4xx', async () => {
    const ref = await invoice();
    await pakasir.simulatePayment({ orderId: ref.invoiceId, amount: ref.amount });
    sandbox.faults.set({ failNext: 1, failStatus: 400, failPaths: ['transactiondetail'] });
    expect(await activities().paymentStatus(ref)).toEqual({ state: 'unknown', reason: 'pakasir_http_400' });
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/unknown/),
      expect.objectContaining({ invoiceId: ref.invoiceId, reason: 'pakasir_http_400' }),
    );
  });

  it('is unknown when the answer does not have the shape the contract expects', async () => {
    const odd = {
      detail: async () => {
        throw new Upstream('Pakasir GET /api/transactiondetail: unexpected answer', false, 'contract');
      },
    } as unknown as PakasirClient;
    const acts = createPaymentActivities({
      pakasir: odd,
      logger,
      catalog: {} as CatalogClient,
      orders: {} as OrdersClient,
    });
    expect(await acts.paymentStatus({ invoiceId: 'INVODD', amount: 1_000 })).toEqual({
      state: 'unknown',
      reason: 'contract',
    });
  });

  it('leaves an outage (5xx) to Temporal to retry', async () => {
    const ref = await invoice();
    sandbox.faults.set({ failNext: 1, failStatus: 503, failPaths: ['transactiondetail'] });
    const error = await activities()
      .paymentStatus(ref)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Upstream);
    expect(error).toMatchObject({ retryable: true });
  });

  it('never reads unknown as unpaid in the old confirmPayment either: it asks to be retried', async () => {
    const ref = await invoice();
    sandbox.faults.set({ failNext: 1, failStatus: 400, failPaths: ['transactiondetail'] });
    const error = await activities()
      .confirmPayment(ref)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure); // a plain error: retried with backoff
  });
});

describe('notices to admins and groups (issue 11, defect 2)', () => {
  const ADMIN = 1;
  const REFUSING_GROUP = -100_400;
  const OLD_GROUP = -400_500;
  const NEW_GROUP = -100_400_500;

  function world() {
    const sent: NotifyRequest[] = [];
    const moved: [number, number][] = [];
    const notify = {
      async notify(request: NotifyRequest) {
        sent.push(request);
        if (request.chatId === REFUSING_GROUP)
          throw new Invalid(
            'Bad Request: not enough rights to send text messages to the chat',
            'telegram_refused',
          );
        if (request.chatId === ADMIN + 1)
          throw new Conflict('Forbidden: bot was blocked', NOTIFY_REASONS.botBlocked);
        // The gateway followed the group to its supergroup and says so.
        if (request.chatId === OLD_GROUP) return { messageIds: [7], movedTo: NEW_GROUP };
        return { messageIds: [1] };
      },
    } as unknown as NotifyClient;
    const orders = {
      notificationRecipients: async () => ({ chatIds: [ADMIN, ADMIN + 1, REFUSING_GROUP, OLD_GROUP] }),
      moveNotificationGroup: async (from: number, to: number) => void moved.push([from, to]),
      setBlockedBot: async () => ({}),
    } as unknown as OrdersClient;
    const logger = createLogger('worker', 'silent');
    const warn = jest.spyOn(logger, 'warn');
    const acts = createMessageActivities({ notify, orders, logger, catalog: {} as CatalogClient });
    return { acts, sent, moved, warn };
  }

  const notice = {
    key: 'order-paid:INV1',
    message: { template: 'admin.order_expired', data: { invoiceId: 'INV1' } },
  } as const;

  it('reaches every other chat when a whitelisted group answers 400, and logs the refusal', async () => {
    const w = world();
    await expect(w.acts.notifyAdmins(notice)).resolves.toBeUndefined();
    expect(w.sent.map((r) => r.chatId)).toEqual([ADMIN, ADMIN + 1, REFUSING_GROUP, OLD_GROUP]);
    expect(w.warn).toHaveBeenCalledWith(
      expect.stringMatching(/refused/),
      expect.objectContaining({ chatId: REFUSING_GROUP, reason: 'telegram_refused' }),
    );
  });

  it('tells orders the new id of a group that became a supergroup', async () => {
    const w = world();
    await w.acts.notifyAdmins(notice);
    expect(w.moved).toEqual([[OLD_GROUP, NEW_GROUP]]);
  });

  it('logs a message the customer cannot receive, with its key, and leaves the decision to the workflow', async () => {
    const w = world();
    const error = await w.acts
      .sendMessage({ chatId: ADMIN + 1, key: 'closed:INV2', message: notice.message })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'BotBlocked', nonRetryable: true });
    expect(w.warn).toHaveBeenCalledWith(
      expect.stringMatching(/refused/),
      expect.objectContaining({ chatId: ADMIN + 1, key: 'closed:INV2', reason: NOTIFY_REASONS.botBlocked }),
    );
  });
});
