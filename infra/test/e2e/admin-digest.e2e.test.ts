import type { ChatMessage, TelegramChatView } from '@quickcart/sandbox';
import type { DigestedNotice } from '@quickcart/notify';
import { statusQuery, workflowIds } from '@quickcart/workflow-api';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { textOf } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/**
 * The admins' digest (issue 20, docs/operations.md §18) on its real way: a notice handed to orders as
 * the worker's activity hands it (POST /admin-digest), orders' round, the gateway's /notify, the Telegram
 * sandbox with Telegram's pace (one a second to a chat after a burst of 5, 20 a minute to a group, 429
 * with retry_after beyond them). What the admin chats show is read from the sandbox.
 */

const DIGEST_SECONDS = 3;
const HEAD = '🗂';

/** How many times each invoice of `prefix` is named in the chat's bot messages. */
function invoicesShown(chat: TelegramChatView, prefix: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const m of chat.botMessages())
    for (const [, invoice] of textOf(m).matchAll(new RegExp(`Invoice: (${prefix}\\d+)`, 'g')))
      seen.set(invoice!, (seen.get(invoice!) ?? 0) + 1);
  return seen;
}

/** Waits until every invoice is shown in the chat at least once, then gives how often each was. */
async function untilShown(chat: TelegramChatView, prefix: string, invoices: string[], ms = 60_000) {
  return eventually(
    () => invoicesShown(chat, prefix),
    (seen) => invoices.every((i) => seen.has(i)),
    `${invoices.length} invoices ${prefix}… in chat ${chat.chatId}`,
    ms,
  );
}

/**
 * Telegram's pace, checked on the messages a chat took (dates in whole seconds, so one second of slack):
 * in any stretch of s seconds at most `burst` + s × `perSecond` messages.
 */
function keptPace(messages: ChatMessage[], burst: number, perSecond: number): boolean {
  const dates = messages.map((m) => m.date).sort((a, b) => a - b);
  return dates.every((from, i) =>
    dates.slice(i).every((to, k) => k + 1 <= burst + (to - from + 1) * perSecond),
  );
}

const count = (m: ChatMessage, text: string) => textOf(m).split(text).length - 1;

const paid = (invoiceId: string): DigestedNotice => ({
  template: 'admin.order_paid',
  data: { userName: 'Budi', productName: 'Netflix Premium', quantity: 1, invoiceId },
});

/** Hands `notices` to orders as the workflows' `tellAdmins` does (the worker's token, the run's key). */
const handOver = (sys: BotSystem, invoices: string[], notice = paid) =>
  Promise.all(invoices.map((i) => sys.stack.worker.digestAdminNotice(`order-paid:${i}`, notice(i))));

/** A bot system whose orders sends the digest every `seconds`, the admin known to orders. */
async function startDigestSystem(seconds: number, worker: boolean): Promise<BotSystem> {
  const sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    {},
    { worker, orders: { ADMIN_DIGEST_SECONDS: String(seconds) } },
  );
  await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
  return sys;
}

describe('a busy minute: 300 paid orders to one admin chat and one group', () => {
  let sys: BotSystem;
  let admin: TelegramChatView;
  let group: TelegramChatView;
  beforeAll(async () => {
    sys = await startDigestSystem(DIGEST_SECONDS, false);
    admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    const groupId = -1_000_000_000_000 - newUserId();
    group = sys.telegram.createChat(groupId, 'supergroup', 'Grup Notifikasi');
    await sys.stack.orders.setNotificationGroup(groupId, true, String(ADMIN_ID));
  });
  afterAll(() => sys?.close());
  afterEach(() => sys.telegram.faults.reset());

  it('shows every order once, in a few digests at Telegram’s pace, none lost to a 429', async () => {
    const invoices = Array.from({ length: 300 }, (_, i) => `INVBUSY${String(i).padStart(4, '0')}`);
    // 30 purchases a second finishing for ten seconds (the shop's target throughput), each handed over
    // once; a retried activity hands its notice over again under the same key.
    for (let wave = 0; wave < 10; wave++) {
      const started = Date.now();
      await handOver(sys, invoices.slice(wave * 30, wave * 30 + 30));
      await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
    }
    await handOver(sys, invoices.slice(0, 5));

    for (const chat of [admin, group]) {
      const seen = await untilShown(chat, 'INVBUSY', invoices);
      expect([...seen.keys()].sort()).toEqual(invoices);
      expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      const digests = chat.botMessages();
      // A message per round and chat, split at Telegram's 4096 characters: a few dozen at most, not 300.
      expect(digests.length).toBeLessThanOrEqual(30);
      expect(digests.filter((m) => textOf(m).startsWith(HEAD)).length).toBeGreaterThanOrEqual(2);
      expect(digests.every((m) => textOf(m).length <= 4096)).toBe(true);
      // Cut between notices, never through one: each message names as many orders as it has heads of.
      const torn = digests.filter((m) => count(m, '🆕 Order baru masuk!') !== count(m, '🧾 Invoice:'));
      expect(torn.map(textOf)).toEqual([]);
      expect(keptPace(digests, 5, 1)).toBe(true);
    }
    expect(keptPace(group.botMessages(), 20, 20 / 60)).toBe(true);
    // The gateway keeps a group's pace itself: Telegram never had to refuse it.
    expect(sys.telegram.rateLimited(group.chatId)).toBe(0);
  }, 120_000);

  it('sends a digest Telegram refused half of again without repeating the half that went', async () => {
    const after = admin.botMessages().at(-1)?.id ?? 0;
    // 50 notices make two messages; Telegram takes the first and refuses the second with a long
    // retry_after (more than the gateway waits itself), round after round, until it lets them through.
    sys.telegram.failNext({
      method: 'sendMessage',
      chatId: ADMIN_ID,
      errorCode: 429,
      retryAfter: 30,
      after: 1,
      count: 1_000,
    });
    const first = Array.from({ length: 50 }, (_, i) => `INVHALF${String(i).padStart(4, '0')}`);
    await handOver(sys, first);
    await admin.waitFor((m) => textOf(m).startsWith(HEAD), { after, timeoutMs: 20_000 });
    // More orders are paid meanwhile; a round after them finds the refused digest still unsent.
    const more = Array.from({ length: 10 }, (_, i) => `INVHALF${String(50 + i).padStart(4, '0')}`);
    await handOver(sys, more);
    const refusalsLeft = () => sys.telegram.faults.pending()[0]?.left ?? 0;
    const left = refusalsLeft();
    await eventually(refusalsLeft, (n) => n < left, 'a round after the later notices', 20_000);
    sys.telegram.faults.reset();

    const all = [...first, ...more];
    for (const chat of [admin, group]) {
      const seen = await untilShown(chat, 'INVHALF', all);
      expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...seen.keys()].sort()).toEqual(all);
    }
  }, 90_000);
});

describe('ADMIN_DIGEST_SECONDS=0: one message per event', () => {
  let sys: BotSystem;
  beforeAll(async () => {
    sys = await startDigestSystem(0, false);
  });
  afterAll(() => sys?.close());

  it('sends each notice as its own message, as it reads alone, once', async () => {
    const admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    await handOver(sys, ['INVONE0001']);
    await sys.stack.worker.digestAdminNotice('order-expired:INVONE0002', {
      template: 'admin.order_expired',
      data: { invoiceId: 'INVONE0002' },
    });
    await handOver(sys, ['INVONE0003', 'INVONE0001']);
    await untilShown(admin, 'INVONE', ['INVONE0001', 'INVONE0002', 'INVONE0003']);
    await new Promise((r) => setTimeout(r, 1_500)); // a round more: nothing else comes
    const texts = admin.botMessages().map(textOf);
    expect(texts).toHaveLength(3);
    expect(texts.some((t) => t.startsWith(HEAD))).toBe(false);
    expect(texts[0]).toMatch(/^🆕 Order baru masuk![\s\S]*Invoice: INVONE0001$/);
    expect(texts[1]).toBe('⚠️ Order expired/tidak dibayar\n🧾 Invoice: INVONE0002');
    expect(texts[2]).toMatch(/Invoice: INVONE0003$/);
  }, 60_000);
});

describe('a failure that needs a person, while the digest gathers', () => {
  let sys: BotSystem;
  beforeAll(async () => {
    // An hour: orders' first round runs as it starts, the next not within this test.
    sys = await startDigestSystem(3600, true);
  });
  afterAll(() => sys?.close());

  it('reaches the admin at once; the paid order that went well waits for the digest', async () => {
    const { stack, telegram } = sys;
    const admin = telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    const { id: productId } = await stack.catalog.addProduct({ name: 'Canva Pro', price: 10_000 });
    await stack.catalog.addStock(productId, ['canva-a:pw', 'canva-b:pw']);
    const buy = async (name: string, blocked: boolean) => {
      const customer = telegram.user({ id: newUserId(), firstName: name });
      await stack.orders.upsertUser({ id: customer.id, name });
      await stack.worker.postLedgerEntry({
        userId: customer.id,
        delta: 10_000,
        reason: 'transfer',
        reference: `digest-test-${customer.id}`,
        idempotencyKey: `digest-test-${customer.id}`,
        actor: String(ADMIN_ID),
      });
      if (blocked) telegram.block(customer.id);
      const order = await stack.orders.checkout({
        userId: customer.id,
        productId,
        quantity: 1,
        paymentMethod: 'balance',
      });
      return { customer, invoiceId: order.invoiceId };
    };

    const fine = await buy('Lancar', false);
    const fineRun = stack.temporal.workflow.getHandle(workflowIds.purchase(fine.invoiceId));
    expect(await fineRun.result()).toEqual({ status: 'delivered' });
    const stuck = await buy('Terblokir', true);
    const started = Date.now();
    const stuckRun = stack.temporal.workflow.getHandle(workflowIds.purchase(stuck.invoiceId));
    await eventually(
      () => stuckRun.query(statusQuery),
      (s) => s === 'delivery_failed',
      'the parked delivery',
    );

    await admin.waitForText(`Pengiriman gagal untuk ${stuck.invoiceId}`, { timeoutMs: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    // The order that went well is in the digest, not yet sent: nothing of it reached the admin.
    expect(
      await stack.sql('SELECT key FROM orders.admin_digest WHERE key = $1 AND sent_at IS NULL', [
        `order-paid:${fine.invoiceId}`,
      ]),
    ).toHaveLength(1);
    expect(admin.botMessages().filter((m) => textOf(m).includes(fine.invoiceId))).toEqual([]);
    expect(admin.botMessages().filter((m) => textOf(m).startsWith(HEAD))).toEqual([]);
  }, 90_000);
});
