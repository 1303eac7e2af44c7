import type { CatalogClient } from '@quickcart/catalog/client';
import { createLogger } from '@quickcart/kit';
import { NotifyClient, startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';
import { ApplicationFailure } from '@temporalio/common';
import { createMessageActivities } from '../src/worker/activities';

// Issue 13: Telegram's 429, passed on by the gateway's /notify with its retry-after, makes the activity
// fail retryably with exactly that delay before Temporal's next attempt (ApplicationFailure.nextRetryDelay).

const TOKEN = 'rate-limited-messages-token-0123456789';
let recorder: NotifyRecorder;
const activities = () =>
  createMessageActivities({
    notify: new NotifyClient({ baseUrl: recorder.url, token: TOKEN }),
    catalog: {} as CatalogClient,
    orders: { notificationRecipients: async () => ({ chatIds: [1, 2] }) } as unknown as OrdersClient,
    logger: createLogger('worker', 'silent'),
  });
const message = { template: 'deposit.expired', data: { invoiceId: 'INV429' } } as const;

beforeAll(async () => {
  recorder = await startNotifyRecorder({ token: TOKEN });
});
afterAll(() => recorder?.close());

describe('a rate-limited message', () => {
  it('fails retryably with the retry-after as the next retry delay, then goes out on the retry', async () => {
    recorder.rateLimitNext(1, 7);
    const refused = await activities()
      .sendMessage({ chatId: 42, key: 'rl-1', message })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: '7s' });
    expect(await activities().sendMessage({ chatId: 42, key: 'rl-1', message })).toHaveLength(1);
  });

  it('an admin notice stopped by a 429 is retried later, not passed over like a refusal', async () => {
    recorder.rateLimitNext(1, 3);
    const refused = await activities()
      .notifyAdmins({ key: 'rl-admins', message })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ type: 'RateLimited', nextRetryDelay: '3s' });
    await activities().notifyAdmins({ key: 'rl-admins', message });
    expect(recorder.to(1)).toHaveLength(1);
    expect(recorder.to(2)).toHaveLength(1);
  });

  it('sending the QR honours it too', async () => {
    recorder.rateLimitNext(1, 2);
    const qr = {
      template: 'payment.qris',
      data: {
        kind: 'deposit',
        invoiceId: 'INVQR429',
        totalPayment: 10_380,
        expiresAt: new Date().toISOString(),
        checkoutUrl: 'https://app.pakasir.com/pay/x/10380?order_id=INVQR429',
      },
      qrString: '00020101021226',
    } as const;
    const refused = await activities()
      .sendQr({ chatId: 43, key: 'rl-qr', message: qr })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ type: 'RateLimited', nextRetryDelay: '2s' });
  });
});
