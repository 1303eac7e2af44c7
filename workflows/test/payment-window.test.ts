import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { SA } from '../src/shared/search-attributes';
import {
  cancel,
  paymentReceived,
  paymentWindowProbe,
  statusQuery,
  type ProbeActivities,
} from './fixtures/payment-window.workflow';
import { bundle, devServerEnv, timeSkippingEnv, unique } from './temporal';

const workflowsPath = require.resolve('./fixtures/payment-window.workflow');
const TEN_MINUTES = 10 * 60_000;

function pollCounter(paidAfterPolls = Infinity): ProbeActivities & { polls: number } {
  const acts = {
    polls: 0,
    async checkPayment() {
      acts.polls++;
      return acts.polls >= paidAfterPolls ? { amount: 30_520 } : undefined;
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

  it('ends as paid when the signal arrives at minute 5', async () => {
    const outcome = await run(pollCounter(), async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-paid'),
        args: [{ invoiceId: 'INVPROBE2', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      await env.sleep('5 minutes');
      expect(await handle.query(statusQuery)).toBe('awaiting_payment');
      await handle.signal(paymentReceived, { amount: 30_520 });
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'paid', payment: { amount: 30_520 } });
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

  it('ends as cancelled on a cancel signal', async () => {
    const outcome = await run(pollCounter(), async (taskQueue) => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: unique('probe-cancel'),
        args: [{ invoiceId: 'INVPROBE4', timeoutMs: TEN_MINUTES, pollEveryMs: 60_000 }],
      });
      await handle.signal(cancel, 'user');
      return handle.result();
    });
    expect(outcome).toEqual({ kind: 'cancelled', reason: 'user' });
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
      activities: pollCounter(),
    });
    const outcome = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(paymentWindowProbe, {
        taskQueue,
        workflowId: `probe-${invoiceId}`,
        args: [{ invoiceId, timeoutMs: 60_000, pollEveryMs: 20_000 }],
        typedSearchAttributes: [{ key: SA.InvoiceId, value: invoiceId }],
      });
      await handle.signal(paymentReceived, { amount: 10_310 });
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
