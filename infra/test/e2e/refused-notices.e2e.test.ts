import { ADMIN_ID, PROJECT } from '../../../services/orders/test/stack';
import { eventually } from './eventually';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

/**
 * Issue 11, defect 2, on the real gateway and the Telegram sandbox: Telegram refusing a message (a
 * customer who blocked the bot, a whitelisted group answering 400, a group upgraded to a supergroup)
 * never fails a payment and never stops a refund. The upgraded group is followed to its new id.
 */
let sys: BotSystem;
beforeAll(async () => {
  sys = await startBotSystem({ paymentTimeout: '3s', pollInterval: '1s' });
});
afterAll(() => sys?.close());

let nextGroup = 0;
const groupId = () => -(5_000_000 + (process.pid % 1000) * 100 + ++nextGroup);

describe('an invoice closing while Telegram refuses its messages', () => {
  it('still expires, releases the stock and refunds a payment that landed while it closed', async () => {
    const { stack, telegram } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Canva Pro', price: 15_000 });
    await stack.catalog.addStock(productId, ['cv1', 'cv2']);
    telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    const customer = telegram.user({ id: newUserId(), firstName: 'Blok' });
    await stack.orders.upsertUser({ id: customer.id, name: 'Blok' });

    // One whitelisted group refuses every message; another was upgraded to a supergroup.
    const [refusing, upgraded, supergroup] = [groupId(), groupId(), -1_000_000_000_000 - nextGroup];
    telegram.createChat(refusing, 'supergroup', 'Grup Rusak');
    telegram.createChat(upgraded, 'group', 'Grup Admin');
    telegram.migrateChat(upgraded, supergroup);
    telegram.failNext({
      chatId: refusing,
      count: 50,
      errorCode: 400,
      description: 'Bad Request: not enough rights to send text messages to the chat',
    });
    for (const chatId of [refusing, upgraded])
      await stack.orders.setNotificationGroup(chatId, true, String(ADMIN_ID));

    // The customer sees the QR, then blocks the bot; the cancel at Pakasir is slow, and the customer
    // pays in that moment (its webhook lost), so only the workflow's last check can find the payment.
    stack.sandbox.faults.set({ failPaths: ['transactioncancel'], delayMs: 2_000, dropWebhook: true });
    const order = await stack.orders.checkout({
      userId: customer.id,
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    // The QR is the press's answer (the gateway's to show; this test presses through the API).
    expect(order.qr).not.toBeNull();
    telegram.block(customer.id);
    const handle = stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`);
    // The cancel is a local activity (not among the run's pending activities): Pakasir holds it.
    await eventually(
      async () => stack.sandbox.faults.held(),
      (paths) => paths.some((p) => p.includes('transactioncancel')),
      'the cancel at Pakasir',
    );
    const paid = await fetch(
      `${stack.sandbox.url}/pay/${PROJECT}/${order.amount}/confirm?order_id=${order.invoiceId}`,
      {
        method: 'POST',
      },
    );
    expect(paid.status).toBe(200);

    expect(await handle.result()).toEqual({ status: 'expired', refunded: 15_000 });
    expect((await stack.orders.order(order.invoiceId)).status).toBe('expired');
    expect(await stack.catalog.product(productId)).toMatchObject({ stock: 2, reservedStock: 0 });
    expect((await stack.orders.user(customer.id)).balance).toBe(15_000);
    expect((await stack.orders.user(customer.id)).blockedBot).toBe(true);

    // The upgraded group got the notices at its new id (in the admins' digest, sent every second in
    // tests), and orders now lists that id (audited).
    const notices = await eventually(
      () =>
        telegram
          .group(supergroup)
          .messages()
          .map((m) => m.text ?? ''),
      (texts) =>
        texts.some((t) => t.includes('Order expired') && t.includes(order.invoiceId)) &&
        texts.some((t) => t.includes('Pembayaran terlambat')),
      'the notices in the upgraded group',
    );
    expect(notices.length).toBeGreaterThan(0);
    expect(telegram.group(refusing).messages()).toEqual([]);
    // Orders learns the new id from the send's answer, after Telegram took the message there.
    const groups = await eventually(
      async () => (await stack.orders.notificationGroups()).chatIds,
      (ids) => ids.includes(supergroup),
      'the upgraded group recorded at its new id',
    );
    expect(groups).not.toContain(upgraded);
    const audit = await eventually(
      () => stack.auditSql("SELECT actor, before, after FROM audit_log WHERE action = 'group.migrate'"),
      (rows) => rows.length > 0,
      'the audit entry',
    );
    expect(audit).toEqual([{ actor: 'system', before: { chatId: upgraded }, after: { chatId: supergroup } }]);
  });

  it('completes a deposit credited to a customer who blocked the bot before the notice', async () => {
    const { stack, telegram } = sys;
    const customer = telegram.user({ id: newUserId(), firstName: 'Depo' });
    await stack.orders.upsertUser({ id: customer.id, name: 'Depo' });
    stack.sandbox.faults.reset();
    const order = await stack.orders.deposit({ userId: customer.id, amount: 20_000 });
    // The QR is the press's answer (the gateway's to show; this test presses through the API).
    expect(order.qr).not.toBeNull();
    telegram.block(customer.id);
    const paid = await fetch(
      `${stack.sandbox.url}/pay/${PROJECT}/${order.amount}/confirm?order_id=${order.invoiceId}`,
      {
        method: 'POST',
      },
    );
    expect(paid.status).toBe(200);
    const handle = stack.temporal.workflow.getHandle(`deposit-${order.invoiceId}`);
    expect(await handle.result()).toEqual({ status: 'credited' });
    expect((await stack.orders.user(customer.id)).balance).toBe(20_000);
  });
});
