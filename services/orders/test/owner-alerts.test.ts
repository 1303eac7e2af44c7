import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { startTestStack, type TestStack } from './stack';

// The owner's alerts in Telegram (docs/operations.md §16): each once while it lasts, then "resolved"
// once. No worker serves this stack's task queue: a QRIS order stays pending until the test closes it.
const OWNER_CHAT = -100_777_000_111;
let s: TestStack;
let recorder: NotifyRecorder;
beforeAll(async () => {
  recorder = await startNotifyRecorder();
  s = await startTestStack({
    paymentTimeout: '1s',
    orders: {
      STUCK_GRACE: '0s',
      GATEWAY_URL: recorder.url,
      OWNER_ALERT_CHAT: String(OWNER_CHAT),
      ALERT_CHECK_INTERVAL: '200ms',
    },
  });
});
afterAll(async () => {
  await s.close();
  await recorder.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The alerts the owner's chat got, as "name state". */
const told = () =>
  recorder
    .to(OWNER_CHAT)
    .flatMap((n) =>
      n.request.action === 'send' && n.request.message.template === 'owner.alert'
        ? [`${n.request.message.data.alert} ${n.request.message.data.state}`]
        : [],
    );
async function until(what: string) {
  for (let i = 0; i < 100 && !told().includes(what); i++) await sleep(100);
  expect(told()).toContain(what);
}

it('tells the owner once when a payment is stuck past its window, and once when it is resolved', async () => {
  await sleep(600);
  expect(told()).toEqual([]); // all is well: nothing said

  const { id: productId } = await s.catalog.addProduct({ name: 'Vidio', price: 25_000 });
  await s.catalog.addStock(productId, ['vidio:pw']);
  await s.orders.upsertUser({ id: 7_700_001, name: 'Dewi' });
  const order = await s.orders.checkout({ userId: 7_700_001, productId, quantity: 1, paymentMethod: 'qris' });
  await until('payments_stuck firing');
  await sleep(1_000); // five more rounds
  expect(told()).toEqual(['payments_stuck firing']);
  expect(recorder.to(OWNER_CHAT)[0].request).toMatchObject({
    message: { data: { alert: 'payments_stuck', state: 'firing', detail: '1' } },
  });

  await s.worker.transition(order.invoiceId, { to: 'expired' });
  await until('payments_stuck resolved');
  await sleep(1_000);
  expect(told()).toEqual(['payments_stuck firing', 'payments_stuck resolved']);
});

it('tells the owner a backup failed, and that it is over once one succeeds', async () => {
  await s.sql(`INSERT INTO orders.backup_runs (ok, file) VALUES (true, 'quickcart-1.tar.gz')`);
  await sleep(600);
  expect(told().filter((t) => t.startsWith('backup_failed'))).toEqual([]);
  await s.sql(`INSERT INTO orders.backup_runs (ok) VALUES (false)`);
  await until('backup_failed firing');
  await s.sql(`INSERT INTO orders.backup_runs (ok, file) VALUES (true, 'quickcart-2.tar.gz')`);
  await until('backup_failed resolved');
  await sleep(600);
  expect(told().filter((t) => t.startsWith('backup_failed'))).toEqual([
    'backup_failed firing',
    'backup_failed resolved',
  ]);
});
