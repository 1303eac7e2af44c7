import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cancelPayment, paymentReceived, SA, statusQuery } from '@quickcart/workflow-api';
import { paymentWindowProbe, type ProbeActivities } from './fixtures/payment-window.workflow';
import { bundle, devServerEnv, timeSkippingEnv, unique } from './temporal';

const workflowsPath = require.resolve('./fixtures/payment-window.workflow');
const TEN_MINUTES = 10 * 60_000;

/** A stand-in for Pakasir's detail API: paid once `paid` is set, or from the given poll on. */
function pollCounter(paidAfterPolls = Infinity): ProbeActivities & { polls: number; paid: boolean } {
  const acts = {
    polls: 0,
    paid: false,
    async checkPayment() {
      acts.polls++;
      return acts.paid || acts.polls >= paidAfterPolls ? { amount: 30_520 } : undefined;
    },
  };
  return acts;
}

describe('payment window on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  async function run<T>(acts: ProbeActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = unique('probe');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundle(workflowsPath),
      activities: acts,
    });
    return worker.runUntil(fn(taskQueue));
  }

  it('expires after the 10-minute timeout, in seconds of real time, polling once a minute', async () => {
    const acts = pollCounter();
    const startedAt = await env.currentTimeMs();
    const wallStart = Date.now();
    const outcome = await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-expire'),
        args: [{ invoiceId: 'INVPROBE1', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'expired' });
    expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(TEN_MINUTES);
    expect(acts.polls).toBe(10);
    console.log(`10-minute payment window expired after ${Date.now() - wallStart} ms of wall time`);
  });

  it('ends as paid at once when a confirmed payment is signalled at minute 5', async () => {
    const acts = pollCounter();
    const outcome = await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-paid'),
        args: [{ invoiceId: 'INVPROBE2', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      await env.sleep('5 minutes');
      expect(await handle.query(statusQuery)).toBe('awaiting_payment');
      acts.paid = true;
      await handle.signal(paymentReceived, { source: 'webhook' });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'paid', payment: { amount: 30_520 } });
    expect(acts.polls).toBeLessThanOrEqual(6); // about one a minute for 5 minutes, plus the signalled one
  });

  it('ignores a signal the provider does not confirm (forged or wrong amount) and expires', async () => {
    const acts = pollCounter();
    const outcome = await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-forged'),
        args: [{ invoiceId: 'INVPROBE5', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      await handle.signal(paymentReceived, { source: 'forged' });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'expired' });
    expect(acts.polls).toBe(11); // ten polls plus the one the signal asked for
  });

  it('finds a payment by polling when no signal ever comes (webhook lost)', async () => {
    const acts = pollCounter(3);
    const outcome = await run(acts, async (taskQueue) =>
      (
        await env.client.workflow.start(paymentWindowProbe, {
          taskQueue,
          workflowId: unique('probe-poll'),
          args: [{ invoiceId: 'INVPROBE3', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
        })
      ).result(),
    );
    expect(outcome).toEqual({ kind: 'paid', payment: { amount: 30_520 } });
    expect(acts.polls).toBe(3);
  });

  it('ends as unknown, not expired, when the last answer in the window could not be read', async () => {
    const acts = pollCounter();
    const unknownFrom = (poll: number) => async () =>
      ++acts.polls >= poll ? ('unknown' as const) : undefined;
    const outcome = await run({ checkPayment: unknownFrom(8) }, async (taskQueue) =>
      (
        await env.client.workflow.start(paymentWindowProbe, {
          taskQueue,
          workflowId: unique('probe-unknown'),
          args: [{ invoiceId: 'INVPROBE7', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
        })
      ).result(),
    );
    expect(outcome).toEqual({ kind: 'unknown', reason: 'probe' });
  });

  it('expires when an unknown answer was followed by a definite one', async () => {
    let polls = 0;
    const checkPayment = async () => (++polls === 3 ? ('unknown' as const) : undefined);
    const outcome = await run({ checkPayment }, async (taskQueue) =>
      (
        await env.client.workflow.start(paymentWindowProbe, {
          taskQueue,
          workflowId: unique('probe-unknown-then-unpaid'),
          args: [{ invoiceId: 'INVPROBE8', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
        })
      ).result(),
    );
    expect(outcome).toEqual({ kind: 'expired' });
  });

  it('ends as cancelled on a cancel signal', async () => {
    const outcome = await run(pollCounter(), async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-cancel'),
        args: [{ invoiceId: 'INVPROBE4', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      await handle.signal(cancelPayment, { reason: 'user' });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'cancelled', reason: 'user' });
  });

  it('delivers instead of cancelling when the customer paid just before pressing cancel', async () => {
    const acts = pollCounter();
    const outcome = await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-cancel-paid'),
        args: [{ invoiceId: 'INVPROBE6', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      acts.paid = true;
      await handle.signal(cancelPayment, { reason: 'user' });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'paid', payment: { amount: 30_520 } });
  });
});

describe('payment window on the dev server started by infra/temporal/temporal.sh', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await devServerEnv();
  });
  afterAll(() => env?.teardown());

  it('runs to completion and is found by its search attributes', async () => {
    const taskQueue = unique('probe-dev');
    const invoiceId = unique('INVDEV').replace(/-/g, '');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundle(workflowsPath),
      activities: { checkPayment: async () => ({ amount: 10_310 }) },
    });
    const outcome = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: `probe-${invoiceId}`,
        args: [{ invoiceId, timeoutMs: 60_000, pollEveryMs: 20_000 }],
        typedSearchAttributes: [{ key: SA.InvoiceId, value: invoiceId }],
      });
      await handle.signal(paymentReceived, { source: 'test' });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'paid', payment: { amount: 10_310 } });

    // Visibility is eventually consistent: give it a few seconds.
    let found: string[] = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      found = [];
      for await (const wf of env.client.workflow.list({
        query: `InvoiceId = '${invoiceId}' AND OrderStatus = 'paid'`,
      })) {
        found.push(wf.workflowId);
      }
      if (found.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual([`probe-${invoiceId}`]);
  });
});
