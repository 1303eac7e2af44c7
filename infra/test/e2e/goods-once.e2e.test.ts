import { Writable } from 'node:stream';
import { NotifyClient, type NotifyRequest } from '@quickcart/notify';
import winston from 'winston';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

type Msg = {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  caption?: string;
  document?: { bytes: Buffer; filename?: string };
};
const shows = (m: Msg, s: string) =>
  (m.text ?? m.caption ?? '').includes(s) || (m.document?.bytes.toString('utf8') ?? '').includes(s);

/**
 * Issue 12, 2: Telegram accepted the goods but the gateway never learnt it (killed, or the answer lost).
 * The sandbox's `applied` fault is that window made deterministic: the call acts, then answers 502.
 * A retry must not show the customer the goods a second time.
 */
describe('goods are shown once, even when Telegram’s answer is lost', () => {
  let sys: BotSystem;
  let notify: NotifyClient;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' }, { LOG_LEVEL: 'warn' });
    notify = new NotifyClient({ baseUrl: sys.gatewayUrl, token: sys.stack.tokens.worker });
    // The gateway's lines to memory instead of the console.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    sys.gatewayLogger.clear().add(new winston.transports.Stream({ stream: sink }));
  });
  const unknownOutcomes = (key: string) =>
    lines.filter(
      (l) =>
        l.message === 'earlier send has an unknown outcome; sending again' &&
        String(l.partKey).startsWith(`notify:${key}#`),
    );
  afterAll(() => sys?.close());
  afterEach(() => sys.telegram.faults.reset());

  const customer = async (name: string) => {
    const user = sys.telegram.user({ id: newUserId(), firstName: name });
    await user.send('/help');
    await user.waitForText('Bantuan');
    return user;
  };
  const delivery = (userId: number, items: string[]): NotifyRequest => ({
    action: 'send',
    idempotencyKey: `deliver:INV-${userId}`,
    chatId: userId,
    message: {
      template: 'purchase.delivered',
      data: { invoiceId: `INV-${userId}`, productName: 'Netflix', quantity: items.length, items },
    },
  });

  it('/notify retried after the goods reached the chat but the answer was lost: one goods message', async () => {
    const user = await customer('Hilang');
    const goods = `akun-${user.id}@mail.test:rahasia`;
    sys.telegram.failNext({ textIncludes: goods, applied: true, errorCode: 502 });
    const failed = await notify.notify(delivery(user.id, [goods])).catch((e: unknown) => e);
    expect(failed).toMatchObject({ retryable: true });
    expect(user.botMessages().filter((m: Msg) => shows(m, goods))).toHaveLength(1); // it did arrive

    const retried = await notify.notify(delivery(user.id, [goods]));
    const bot = user.botMessages();
    expect(bot.filter((m: Msg) => shows(m, goods))).toHaveLength(1);
    expect(bot.filter((m: Msg) => shows(m, 'Pesanan berhasil'))).toHaveLength(1);
    expect(retried.messageIds).toEqual([
      bot.find((m: Msg) => shows(m, 'Pesanan berhasil'))!.id,
      bot.find((m: Msg) => shows(m, goods))!.id,
    ]);
    expect(bot.some((m: Msg) => shows(m, 'Menyiapkan'))).toBe(false); // the placeholder became the goods
  });

  it('a placeholder whose answer was lost stays behind, saying so; the goods still come once', async () => {
    const user = await customer('Ganda');
    const goods = `akun-${user.id}@mail.test:rahasia`;
    sys.telegram.failNext({ textIncludes: 'Menyiapkan', applied: true, errorCode: 502 });
    await expect(notify.notify(delivery(user.id, [goods]))).rejects.toMatchObject({ retryable: true });
    await notify.notify(delivery(user.id, [goods]));
    const bot = user.botMessages();
    expect(bot.filter((m: Msg) => shows(m, goods))).toHaveLength(1);
    const orphans = bot.filter((m: Msg) => shows(m, 'Menyiapkan'));
    expect(orphans).toHaveLength(1);
    expect(orphans[0]!.text).toContain('abaikan pesan ini');
  });

  it('long goods go as a file: a retry after a lost answer replaces the file, never sends a second', async () => {
    const user = await customer('Berkas');
    const items = Array.from({ length: 200 }, (_, i) => `akun${i}-${user.id}@mail.test:sandi${i}`);
    const last = items.at(-1)!;
    sys.telegram.failNext({ textIncludes: last, applied: true, errorCode: 502 });
    await expect(notify.notify(delivery(user.id, items))).rejects.toMatchObject({ retryable: true });
    const retried = await notify.notify(delivery(user.id, items));
    const files = user.botMessages().filter((m: Msg) => shows(m, last));
    expect(files).toHaveLength(1);
    expect(files[0]!.document?.filename).toBe(`INV-${user.id}.txt`);
    expect(files[0]!.document?.bytes.toString()).toBe(items.join('\n') + '\n');
    expect(files[0]!.caption).toBe(`📄 Detail produk INV-${user.id}`);
    expect(retried.messageIds[1]).toBe(files[0]!.id);
  });

  it('a purchase whose goods message lost its answer: the activity retries, the customer sees one', async () => {
    const productId = (
      await sys.stack.catalog.addProduct({ name: 'Spotify', category: 'Musik', price: 20_000 })
    ).id;
    const user = await customer('Pembeli');
    const goods = `spotify-${user.id}@mail.test:pw`;
    await sys.stack.catalog.addStock(productId, [goods]);
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Pembeli' });
    await sys.stack.worker.postLedgerEntry({
      userId: user.id,
      delta: 20_000,
      reason: 'transfer',
      idempotencyKey: `seed-${user.id}`,
    });
    sys.telegram.failNext({ textIncludes: goods, applied: true, errorCode: 502 });
    const { invoiceId } = await sys.stack.orders.checkout({
      userId: user.id,
      productId,
      quantity: 1,
      paymentMethod: 'balance',
    });
    const workflow = sys.stack.temporal.workflow.getHandle(`purchase-${invoiceId}`);
    expect(await workflow.result()).toEqual({ status: 'delivered' });
    expect(sys.telegram.faults.pending()).toEqual([]); // the goods' first answer was lost
    const bot = user.botMessages();
    expect(bot.filter((m: Msg) => shows(m, goods))).toHaveLength(1);
    expect(bot.filter((m: Msg) => shows(m, 'Pesanan berhasil'))).toHaveLength(1);
  });

  it('a placeholder the customer deleted before the goods reached it: a new one carries them', async () => {
    const user = await customer('Hapus');
    const goods = `akun-${user.id}@mail.test:rahasia`;
    // The edit fails before Telegram acts (Telegram down); meanwhile the customer deletes the placeholder.
    sys.telegram.failNext({ method: 'editMessageText', errorCode: 502 });
    await expect(notify.notify(delivery(user.id, [goods]))).rejects.toMatchObject({ retryable: true });
    const placeholder = user.botMessages().find((m: Msg) => shows(m, 'Menyiapkan'))!;
    sys.telegram.store.remove(sys.telegram.privateChat(user.id), placeholder.id);

    const retried = await notify.notify(delivery(user.id, [goods]));
    const bot = user.botMessages();
    expect(bot.filter((m: Msg) => shows(m, goods)).map((m: Msg) => m.id)).toEqual([retried.messageIds[1]]);
    expect(bot.some((m: Msg) => shows(m, 'Menyiapkan'))).toBe(false);
  });

  it('a notice whose answer was lost goes again (at-least-once), and the gateway logs the unknown outcome', async () => {
    const user = await customer('Pemberitahuan');
    const request: NotifyRequest = {
      action: 'send',
      idempotencyKey: `expired:${user.id}`,
      chatId: user.id,
      message: { template: 'deposit.expired', data: { invoiceId: `INV-${user.id}` } },
    };
    // Refused before Telegram acted: the retry is no repeat, and nothing is logged as unknown.
    // A retry_after longer than the gateway waits out itself (retry-after.ts) comes back to the caller.
    sys.telegram.failNext({ textIncludes: 'Invoice deposit expired', errorCode: 429, retryAfter: 30 });
    await expect(notify.notify(request)).rejects.toMatchObject({ reason: 'rate_limited' });
    sys.telegram.failNext({ textIncludes: 'Invoice deposit expired', applied: true, errorCode: 502 });
    await expect(notify.notify(request)).rejects.toMatchObject({ retryable: true });
    expect(unknownOutcomes(request.idempotencyKey)).toHaveLength(0);

    await notify.notify(request);
    expect(user.botMessages().filter((m: Msg) => shows(m, 'Invoice deposit expired'))).toHaveLength(2);
    expect(unknownOutcomes(request.idempotencyKey)).toEqual([
      expect.objectContaining({ level: 'warn', partKey: `notify:${request.idempotencyKey}#0` }),
    ]);
  });
});
