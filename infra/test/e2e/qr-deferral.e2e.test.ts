import { textOf } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

/**
 * The QR is the gateway's reply to the press, sent through the notifier /notify shares (issue 18). A
 * private chat is never queued like a group notice (issue 19): when Telegram holds the QR back for
 * longer than an update may wait, the press's update is deferred through the inbox and runs again
 * after the wait, and the QR goes then, once (key qr:<inv>), as the one order's recorded QR message.
 */
let sys: BotSystem;
beforeAll(async () => {
  sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
});
afterAll(() => sys?.close());

describe('a QR Telegram holds back for longer than an update may wait', () => {
  it('arrives once after the retry_after, as the recorded QR of the one order the press made', async () => {
    const name = 'Sabar';
    const customer = sys.telegram.user({ id: newUserId(), firstName: name });
    await sys.stack.orders.upsertUser({ id: customer.id, name });
    await customer.send('/start');
    await customer.waitForText(`Halo ${name}`, { timeoutMs: 30_000 });
    await customer.tapKeyboard('AKUN');
    await customer.waitForText('Akun Anda');
    await customer.press('Deposit');
    await customer.waitForText('Pilih jumlah deposit');
    sys.telegram.failNext({ method: 'sendPhoto', chatId: customer.id, errorCode: 429, retryAfter: 8 });
    const pressed = Date.now();
    await customer.press('Rp 50.000');
    const qr = await customer.waitFor((m) => m.photo !== undefined, { timeoutMs: 40_000 });
    expect(Date.now() - pressed).toBeGreaterThanOrEqual(7_500);
    const invoiceId = /INV\d{6}[A-Z0-9]{6}/.exec(qr.caption ?? '')![0];
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const photos = customer.botMessages().filter((m) => m.photo !== undefined);
    expect(photos.map((m) => m.id)).toEqual([qr.id]);
    expect((await sys.stack.orders.order(invoiceId)).qrMessageId).toBe(qr.id);
    // The press ran twice (deferred, then again): checkout answered the second run by its request key.
    expect((await sys.stack.orders.orderHistory(customer.id)).items.map((o) => o.invoiceId)).toEqual([
      invoiceId,
    ]);
    expect(customer.botMessages().map(textOf).join('\n')).not.toMatch(/Terjadi gangguan/);
  }, 90_000);
});
