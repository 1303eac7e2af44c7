import { NotifyClient } from '@quickcart/notify';
import type { ChatMessage, TelegramTestUser } from '@quickcart/sandbox';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { textOf } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/**
 * Telegram's pace rules the sandbox enforces as Telegram does: about 20 messages a minute to a group,
 * edits counted like messages, a retry_after of many seconds. The product keeps to them: it paces each
 * group instead of being refused, and a reply that must wait longer than its update may is deferred
 * through the inbox, not lost and not in anyone else's way.
 */
let sys: BotSystem;
let notify: NotifyClient;
beforeAll(async () => {
  sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' }, {}, { worker: false });
  notify = new NotifyClient({ baseUrl: sys.gatewayUrl, token: sys.stack.tokens.worker, timeoutMs: 30_000 });
  await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
});
afterAll(() => sys?.close());
afterEach(() => sys.telegram.faults.reset());

let seq = 0;
const newGroup = (title: string) => {
  const id = -1_000_000_000_000 - newUserId();
  return { id, view: sys.telegram.createChat(id, 'supergroup', title) };
};
const expiredNotice = (chatId: number, invoiceId: string) =>
  notify.notify({
    action: 'send',
    idempotencyKey: `pace-${process.pid}-${++seq}`,
    chatId,
    message: { template: 'admin.order_expired', data: { invoiceId } },
  });

describe('a group at its pace', () => {
  it('gets every notice, in order, without Telegram refusing one; /notify answers each at once', async () => {
    const group = newGroup('Grup Notifikasi');
    const invoices = Array.from({ length: 26 }, (_, i) => `INVPACE${String(i).padStart(3, '0')}`);
    for (const invoice of invoices) {
      const started = Date.now();
      await expiredNotice(group.id, invoice);
      // A worker's activity is not held for the group's turn (a notice gives up after 2 minutes).
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    const shown = () =>
      group.view
        .botMessages()
        .map((m) => /INVPACE\d+/.exec(textOf(m))?.[0])
        .filter(Boolean);
    // 20 at once, then one every 3 s.
    await eventually(shown, (s) => s.length === invoices.length, 'all 26 notices in the group', 40_000);
    expect(shown()).toEqual(invoices);
    expect(sys.telegram.rateLimited(group.id)).toBe(0);
  }, 60_000);

  it("counts edits against the group's pace: edits right after a burst of notices wait their turn", async () => {
    const group = newGroup('Grup Sunting');
    const ids: number[] = [];
    // Five at once: a chat's burst, after which Telegram takes about one a second.
    for (let i = 0; i < 5; i++) ids.push(...(await expiredNotice(group.id, `INVEDIT${i}`)).messageIds);
    expect(ids).toHaveLength(5);
    const started = Date.now();
    for (const [i, messageId] of ids.slice(0, 3).entries())
      await notify.notify({
        action: 'edit',
        idempotencyKey: `pace-edit-${process.pid}-${++seq}`,
        chatId: group.id,
        messageId,
        message: { template: 'admin.order_expired', data: { invoiceId: `INVSUNTING${i}` } },
      });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000); // paced: about one a second
    const edited = group.view.botMessages().filter((m) => textOf(m).includes('INVSUNTING'));
    expect(edited).toHaveLength(3);
    expect(sys.telegram.rateLimited(group.id)).toBe(0);
  }, 60_000);
});

describe('a reply Telegram holds back for longer than an update may wait', () => {
  it("arrives after retry_after, before the person's next answer, while others are answered at once", async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Tertahan' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Tertahan' });
    sys.telegram.failNext({ method: 'sendMessage', chatId: user.id, errorCode: 429, retryAfter: 8 });
    const sent = Date.now();
    await user.send('/help');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await user.send('/order');
    const other = sys.telegram.user({ id: newUserId(), firstName: 'Lancar' });
    await sys.stack.orders.upsertUser({ id: other.id, name: 'Lancar' });
    const otherSent = Date.now();
    await other.send('/help');
    await other.waitForText('Bantuan', { timeoutMs: 5_000 });
    expect(Date.now() - otherSent).toBeLessThan(3_000);
    await user.waitForText('Bantuan', { timeoutMs: 30_000 });
    expect(Date.now() - sent).toBeGreaterThanOrEqual(7_500);
    await eventually(
      () => user.botMessages().length,
      (n) => n >= 2,
      'the answer to /order as well',
    );
    const [first, second] = user.botMessages().map(textOf);
    expect(first).toContain('Bantuan');
    expect(second).not.toContain('Bantuan');
    expect(user.botMessages().map(textOf).join('\n')).not.toMatch(/Terjadi gangguan/);
  }, 60_000);

  it('relays an admin reply once to the customer, and its confirmation in the group comes later', async () => {
    const group = newGroup('Grup Balas');
    await sys.stack.orders.setNotificationGroup(group.id, true, String(ADMIN_ID));
    const customer: TelegramTestUser = sys.telegram.user({ id: newUserId(), firstName: 'Tanya' });
    await sys.stack.orders.upsertUser({ id: customer.id, name: 'Tanya' });
    await customer.send('/start');
    await customer.waitForText('Halo Tanya');
    await customer.tapKeyboard('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan untuk admin');
    await customer.send('Kapan restock?');
    const forwarded: ChatMessage = await group.view.waitForText('Kapan restock?');
    sys.telegram.failNext({ method: 'sendMessage', chatId: group.id, errorCode: 429, retryAfter: 8 });
    const chat = { id: group.id, type: 'supergroup', title: 'Grup Balas' };
    sys.telegram.feed.push({
      message: {
        message_id: 900_000 + seq++,
        from: { id: newUserId(), is_bot: false, first_name: 'Staf' },
        chat,
        date: Math.floor(Date.now() / 1000),
        text: 'Besok pagi',
        reply_to_message: {
          message_id: forwarded.id,
          from: { id: sys.telegram.bot.id, is_bot: true, first_name: sys.telegram.bot.firstName },
          chat,
          date: forwarded.date,
          text: forwarded.text,
        },
      },
    });
    await customer.waitForText('Besok pagi');
    await group.view.waitForText('✅ Balasan terkirim.', { after: forwarded.id, timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(customer.botMessages().filter((m) => textOf(m).includes('Besok pagi'))).toHaveLength(1);
    expect(group.view.botMessages().map(textOf)).toEqual([textOf(forwarded), '✅ Balasan terkirim.']);
  }, 60_000);

  it("brings a customer's message to every admin and group once, a group that must wait included", async () => {
    const group = newGroup('Grup Pesan');
    await sys.stack.orders.setNotificationGroup(group.id, true, String(ADMIN_ID));
    const admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    const customer = sys.telegram.user({ id: newUserId(), firstName: 'Kirim' });
    await sys.stack.orders.upsertUser({ id: customer.id, name: 'Kirim' });
    await customer.send('/start');
    await customer.waitForText('Halo Kirim');
    await customer.tapKeyboard('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan untuk admin');
    sys.telegram.failNext({ method: 'sendMessage', chatId: group.id, errorCode: 429, retryAfter: 8 });
    const body = `Stok habis? ${process.pid}-${++seq}`;
    await customer.send(body);
    await group.view.waitForText(body, { timeoutMs: 30_000 });
    await customer.waitForText('sudah diteruskan ke admin');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const times = (chat: { botMessages(): ChatMessage[] }, text: string) =>
      chat.botMessages().filter((m) => textOf(m).includes(text)).length;
    expect(times(group.view, body)).toBe(1);
    expect(times(admin, body)).toBe(1);
    expect(times(customer, 'sudah diteruskan ke admin')).toBe(1);
  }, 60_000);
});
