import { statusQuery, workflowIds } from '@quickcart/workflow-api';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/**
 * The operator's tools in the bot. An admin finds a paid purchase whose delivery kept failing (the
 * customer had blocked the bot) with /stuck and, once the customer is back, delivers it with
 * "🔁 Kirim ulang"; /info shows the anti-fraud flags a payment raised.
 */
const UI = 'https://temporal.example.com';
let sys: BotSystem;
beforeAll(async () => {
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    { TEMPORAL_UI_URL: UI, LOG_LEVEL: 'silent' },
  );
  await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
});
afterAll(() => sys?.close());

it('/stuck lists a parked delivery, oldest first, and its button delivers it; audited', async () => {
  const { stack, telegram } = sys;
  const admin = telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
  const customer = telegram.user({ id: newUserId(), firstName: 'Tono' });
  await customer.send('/help');
  await customer.waitForText('Bantuan');
  await stack.orders.upsertUser({ id: customer.id, name: 'Tono' });
  const { id: productId } = await stack.catalog.addProduct({ name: 'Netflix', price: 25_000 });
  await stack.catalog.addStock(productId, [`netflix-${customer.id}:pw`]);
  await stack.worker.postLedgerEntry({
    userId: customer.id,
    delta: 25_000,
    reason: 'transfer',
    reference: 'stuck-test',
    idempotencyKey: `stuck-test-${customer.id}`,
    actor: String(ADMIN_ID),
  });

  // The customer blocks the bot, then the purchase is paid: its delivery is refused and parked.
  telegram.block(customer.id);
  const order = await stack.orders.checkout({
    userId: customer.id,
    productId,
    quantity: 1,
    paymentMethod: 'balance',
  });
  const handle = stack.temporal.workflow.getHandle(workflowIds.purchase(order.invoiceId));
  await eventually(
    () => handle.query(statusQuery),
    (s) => s === 'delivery_failed',
    'the parked delivery',
  );
  // Temporal's list of workflows catches up a moment later.
  await eventually(
    () => stack.orders.stuckOrders(),
    (s) => s.items.some((i) => i.order.invoiceId === order.invoiceId),
    '/stuck to see it',
  );

  const after = admin.messages().at(-1)?.id ?? 0;
  await admin.send('/stuck');
  const list = await admin.waitForText('Pesanan macet', { after });
  expect(list.text).toContain(order.invoiceId);
  expect(list.text).toContain('pengiriman gagal');
  const buttons = list.inlineKeyboard!.flat();
  expect(buttons.map((b) => b.text)).toEqual(['🔁 Kirim ulang #1', '🌐 Temporal #1']);
  expect(buttons[1].url).toBe(
    `${UI}/namespaces/default/workflows?query=${encodeURIComponent(`InvoiceId = '${order.invoiceId}'`)}`,
  );

  // The customer unblocks the bot and writes again; the admin presses the button.
  telegram.unblock(customer.id);
  await customer.send('/start');
  await customer.waitForText('Selamat datang');
  await admin.press('🔁 Kirim ulang #1');
  await admin.waitForText(`Sinyal redeliver dikirim untuk ${order.invoiceId}`);
  await customer.waitForText(`netflix-${customer.id}:pw`);
  expect(await handle.result()).toEqual({ status: 'delivered' });

  const audit = await stack.orders.audit({ reference: order.invoiceId, limit: 50 });
  expect(audit.items.filter((e) => e.action === 'order.redeliver')).toEqual([
    expect.objectContaining({ actor: String(ADMIN_ID), target: { type: 'order', id: order.invoiceId } }),
  ]);
  await eventually(
    () => stack.orders.stuckOrders(),
    (s) => s.totalItems === 0,
    'the delivered order to leave /stuck',
  );
  const later = admin.messages().at(-1)?.id ?? 0;
  await admin.send('/stuck');
  await admin.waitForText('Tidak ada pesanan yang macet', { after: later });
});

it('/stuck from a customer gets no answer', async () => {
  const { telegram } = sys;
  const customer = telegram.user({ id: newUserId(), firstName: 'Bukan Admin' });
  await customer.send('/stuck');
  await customer.send('/help');
  await customer.waitForText('Bantuan');
  expect(customer.botMessages().map((m) => m.text ?? '')).toEqual([expect.stringContaining('Bantuan')]);
});

it('/info shows the anti-fraud flag of a new account that bought over Rp500.000; the purchase went through', async () => {
  const { stack, telegram } = sys;
  const admin = telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
  const customer = telegram.user({ id: newUserId(), firstName: 'Baru' });
  await customer.send('/help');
  await customer.waitForText('Bantuan');
  await stack.orders.upsertUser({ id: customer.id, name: 'Baru' });
  const { id: productId } = await stack.catalog.addProduct({ name: 'Laptop Key', price: 600_000 });
  await stack.catalog.addStock(productId, [`key-${customer.id}`]);
  await stack.worker.postLedgerEntry({
    userId: customer.id,
    delta: 600_000,
    reason: 'transfer',
    reference: 'fraud-test',
    idempotencyKey: `fraud-test-${customer.id}`,
    actor: String(ADMIN_ID),
  });
  const order = await stack.orders.checkout({
    userId: customer.id,
    productId,
    quantity: 1,
    paymentMethod: 'balance',
  });
  await customer.waitForText(`key-${customer.id}`);

  const after = admin.messages().at(-1)?.id ?? 0;
  await admin.send(`/info ${customer.id}`);
  const info = await admin.waitForText('Info user', { after });
  expect(info.text).toContain('Tanda fraud (1 terbaru, tidak memblokir)');
  expect(info.text).toContain(`${order.invoiceId}: akun baru membeli Rp600.000 (batas Rp500.000)`);
});
