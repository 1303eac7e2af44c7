import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { startOpeningWorker } from './opening-worker';
import { API_KEY, PROJECT, post, startTestStack, type TestStack } from './stack';

// The owner's alerts in Telegram (docs/operations.md §16): each once while it lasts, then "resolved"
// once. This stack's worker only opens orders: a QRIS order stays pending until the test closes it.
const OWNER_CHAT = -100_777_000_111;
/** The "keeps refusing" alerts read this window and must last this long (5m and 5m in production). */
const REFUSING = { window: 3_000, for: 1_000 };
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
      ALERT_REFUSING_WINDOW: `${REFUSING.window}ms`,
      ALERT_REFUSING_FOR: `${REFUSING.for}ms`,
      // This stack's worker starts after orders (its bundle takes seconds): not an alert here. The
      // worker's alert has a stack of its own below.
      ALERT_WORKER_SILENCE: '1h',
    },
  });
});
afterAll(async () => {
  await s.close();
  await recorder.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The alerts a chat got, as "name state". */
const toldIn = (chat: number) =>
  recorder
    .to(chat)
    .flatMap((n) =>
      n.request.action === 'send' && n.request.message.template === 'owner.alert'
        ? [`${n.request.message.data.alert} ${n.request.message.data.state}`]
        : [],
    );
const told = () => toldIn(OWNER_CHAT);
async function until(what: string, chat = OWNER_CHAT) {
  for (let i = 0; i < 100 && !toldIn(chat).includes(what); i++) await sleep(100);
  expect(toldIn(chat)).toContain(what);
}
/** The detail of the last alert of this name the chat got. */
const detailOf = (alert: string, chat = OWNER_CHAT) =>
  recorder
    .to(chat)
    .flatMap((n) =>
      n.request.action === 'send' &&
      n.request.message.template === 'owner.alert' &&
      n.request.message.data.alert === alert
        ? [n.request.message.data.detail]
        : [],
    )
    .at(-1);

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

it('tells the owner once when Pakasir keeps refusing, only once it lasted, and once when it answers again', async () => {
  const only = () => told().filter((t) => t.startsWith('pakasir_refusing'));
  // The worker's tally: 2 of 5 failed, more than a fifth.
  await s.worker.reportDependencyCalls('pakasir', { ok: 3, '500': 1, timeout: 1 });
  await sleep(REFUSING.for / 2);
  expect(only()).toEqual([]); // refusing, but not for long enough yet
  await until('pakasir_refusing firing');
  expect(detailOf('pakasir_refusing')).toBe('2/5');
  // It keeps refusing: said once.
  await s.worker.reportDependencyCalls('pakasir', { '500': 2 });
  await sleep(1_000);
  expect(only()).toEqual(['pakasir_refusing firing']);
  // Pakasir answers again: the failures are a fifth or less of the window's calls.
  await s.worker.reportDependencyCalls('pakasir', { ok: 100 });
  await until('pakasir_refusing resolved');
  await sleep(1_000);
  expect(only()).toEqual(['pakasir_refusing firing', 'pakasir_refusing resolved']);
});

it('tells the owner once when Telegram keeps refusing the bot, not of users who blocked it', async () => {
  const only = () => told().filter((t) => t.startsWith('telegram_refusing'));
  // 403 is a user who blocked the bot: never an alert, however many.
  await s.orders.reportDependencyCalls('telegram', { ok: 10, '403': 500 });
  await sleep(REFUSING.for + 1_000);
  expect(only()).toEqual([]);
  // 429s more than 0.2 a second over the window.
  await s.orders.reportDependencyCalls('telegram', { '429': 3, '400': 50 });
  await until('telegram_refusing firing');
  expect(detailOf('telegram_refusing')).toBe('429 ×3');
  // No more refusals: once the window has passed it is over.
  await until('telegram_refusing resolved');
  await sleep(1_000);
  expect(only()).toEqual(['telegram_refusing firing', 'telegram_refusing resolved']);
});

it('takes a caller’s report of its own dependency only', async () => {
  const refused = await post(
    `${s.ordersUrl}/dependency-calls`,
    { dependency: 'telegram', results: { '429': 1000 } },
    s.tokens.worker,
  );
  expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden', reason: 'caller' } });
  const bad = await post(
    `${s.ordersUrl}/dependency-calls`,
    { dependency: 'pakasir', results: { 'not a result': 1 } },
    s.tokens.worker,
  );
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('results by name, such as');
});

describe('the worker not polling', () => {
  const WORKER_CHAT = -100_777_000_222;
  let quiet: TestStack;
  beforeAll(async () => {
    // No worker serves this stack's task queue until the test starts one.
    quiet = await startTestStack({
      worker: 'none',
      orders: {
        GATEWAY_URL: recorder.url,
        OWNER_ALERT_CHAT: String(WORKER_CHAT),
        ALERT_CHECK_INTERVAL: '200ms',
        ALERT_WORKER_SILENCE: '1s',
      },
    });
  });
  afterAll(() => quiet?.close());

  it('is told once when no worker polls the task queue, and once when one does again', async () => {
    const only = () => toldIn(WORKER_CHAT).filter((t) => t.startsWith('worker_not_polling'));
    await until('worker_not_polling firing', WORKER_CHAT);
    expect(detailOf('worker_not_polling', WORKER_CHAT)).toBe('never');
    await sleep(1_000);
    expect(only()).toEqual(['worker_not_polling firing']);

    const worker = await startOpeningWorker({
      temporalAddress: process.env.TEMPORAL_ADDRESS,
      taskQueue: quiet.taskQueue,
      ordersUrl: quiet.ordersUrl,
      catalogUrl: quiet.catalogUrl,
      pakasirUrl: quiet.sandbox.url,
      project: PROJECT,
      apiKey: API_KEY,
      workerToken: quiet.tokens.worker,
    });
    try {
      await until('worker_not_polling resolved', WORKER_CHAT);
      await sleep(1_000);
      expect(only()).toEqual(['worker_not_polling firing', 'worker_not_polling resolved']);
    } finally {
      await worker.stop();
    }
  });
});
