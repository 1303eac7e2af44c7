import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

// The admins' digest (issue 20): workflows hand their notices of paid, expired and refunded orders to
// orders, which sends one message a chat every ADMIN_DIGEST_SECONDS. The gateway is a recorder here.

/** Orders with a recorder for its gateway and the digest every `seconds`, for the tests after it. */
function recordedOrders(seconds: string): { stack: TestStack; recorder: NotifyRecorder } {
  const o = {} as { stack: TestStack; recorder: NotifyRecorder };
  beforeAll(async () => {
    o.recorder = await startNotifyRecorder();
    o.stack = await startTestStack({
      orders: { GATEWAY_URL: o.recorder.url, ADMIN_DIGEST_SECONDS: seconds },
    });
  });
  afterAll(async () => {
    await o.stack.close();
    await o.recorder.close();
  });
  return o;
}
const every = recordedOrders('1');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The invoices each digest the admin got names, in order. */
const digestsToAdmin = () =>
  every.recorder
    .to(ADMIN_ID)
    .flatMap((n) =>
      n.request.action === 'send' && n.request.message.template === 'admin.digest'
        ? [n.request.message.data.notices.map((m) => ('invoiceId' in m.data ? m.data.invoiceId : ''))]
        : [],
    );

async function untilAllDigested(invoices: string[], ms = 30_000): Promise<string[]> {
  const until = Date.now() + ms;
  for (;;) {
    const told = digestsToAdmin().flat();
    if (invoices.every((i) => told.includes(i)) || Date.now() > until) return told;
    await sleep(200);
  }
}

const paid = (i: number, run: string) => ({
  key: `order-paid:INVDIG${run}${i}`,
  message: {
    template: 'admin.order_paid' as const,
    data: { userName: 'Budi', productName: 'Netflix', quantity: 1, invoiceId: `INVDIG${run}${i}` },
  },
});

it('tells the admin of 300 paid orders in a few digests: every order once, none dropped', async () => {
  const notices = Array.from({ length: 300 }, (_, i) => paid(i, 'A'));
  // Handed over as 300 purchases finishing within a minute would, each once (a retried activity too).
  for (let i = 0; i < notices.length; i += 30)
    await Promise.all(
      notices.slice(i, i + 30).map((n) => every.stack.worker.digestAdminNotice(n.key, n.message)),
    );
  await every.stack.worker.digestAdminNotice(notices[0]!.key, notices[0]!.message);

  const invoices = notices.map((n) => n.message.data.invoiceId);
  const told = await untilAllDigested(invoices);
  expect([...told].sort()).toEqual([...invoices].sort());
  // At most 100 a digest: 3 rounds or a few more, never one message an order.
  expect(digestsToAdmin().length).toBeGreaterThanOrEqual(3);
  expect(digestsToAdmin().length).toBeLessThanOrEqual(10);
});

it('sends a round Telegram refused (429) again, and loses nothing', async () => {
  const before = digestsToAdmin().length;
  every.recorder.rateLimitNext(2, 1);
  const notices = Array.from({ length: 5 }, (_, i) => paid(i, 'B'));
  for (const n of notices) await every.stack.worker.digestAdminNotice(n.key, n.message);
  const invoices = notices.map((n) => n.message.data.invoiceId);
  const told = await untilAllDigested(invoices);
  expect(told.filter((i) => invoices.includes(i)).sort()).toEqual([...invoices].sort());
  expect(digestsToAdmin().length).toBeGreaterThan(before);
});

describe('a backlog of more than one digest holds', () => {
  // Rounds five seconds apart: how many rounds carried the notices shows in when they arrived.
  const busy = recordedOrders('5');

  it('sends all of it in the next round, 100 notices a digest, not 100 a round', async () => {
    const notices = Array.from({ length: 300 }, (_, i) => paid(i, 'C'));
    for (let i = 0; i < notices.length; i += 30)
      await Promise.all(
        notices.slice(i, i + 30).map((n) => busy.stack.worker.digestAdminNotice(n.key, n.message)),
      );
    const digests = () =>
      busy.recorder
        .to(ADMIN_ID)
        .flatMap((n) =>
          n.request.action === 'send' && n.request.message.template === 'admin.digest'
            ? [{ at: n.at, count: n.request.message.data.notices.length }]
            : [],
        );
    const until = Date.now() + 30_000;
    while (digests().reduce((sum, d) => sum + d.count, 0) < 300 && Date.now() < until) await sleep(200);
    const got = digests();
    expect(got.reduce((sum, d) => sum + d.count, 0)).toBe(300);
    expect(got.every((d) => d.count <= 100)).toBe(true);
    // One round, or two when the handing over straddled a round's start; 100 a round would take three.
    const rounds = got.filter((d, i) => i === 0 || d.at - got[i - 1]!.at > 2_000).length;
    expect(rounds).toBeLessThanOrEqual(2);
  });
});
