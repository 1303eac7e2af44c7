import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WarrantyClaim } from '@quickcart/orders/contract';
import {
  decideWarranty,
  ledgerKeys,
  redeliver,
  warrantyClaimId,
  type WarrantyDecision,
  type WarrantyOutcome,
} from '@quickcart/workflow-api';
import { fakeWorld, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const CUSTOMER = 7301;
const ADMIN = 1;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

function openClaim(world: FakeWorld): WarrantyClaim {
  const invoiceId = unique('INVWC').replace(/-/g, '');
  const claim: WarrantyClaim = {
    id: warrantyClaimId(invoiceId, 1),
    invoiceId,
    n: 1,
    userId: CUSTOMER,
    productId: 101,
    productName: 'Netflix',
    problem: 'akun tidak bisa login',
    photoFileId: null,
    status: 'open',
    decidedBy: null,
    rejectReason: null,
    refundAmount: null,
    replacementItemIds: [],
    createdAt: 'now',
    decidedAt: null,
  };
  world.storeClaim(claim);
  return claim;
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

/** Starts the claim's workflow as orders does, then lets `admins` press buttons; answers its outcome. */
async function runClaim(
  world: FakeWorld,
  claim: WarrantyClaim,
  admins: (press: (d: WarrantyDecision) => Promise<unknown>) => Promise<unknown[]>,
): Promise<{ outcome: WarrantyOutcome; answers: unknown[] }> {
  return withWorkers(env, world, async (taskQueue) => {
    track(claim.id);
    const h = await env.client.workflow.start('warrantyClaim', {
      taskQueue,
      workflowId: claim.id,
      args: [{ claimId: claim.id, invoiceId: claim.invoiceId, userId: claim.userId }],
    });
    await until(() => world.seenBy(ADMIN).includes('admin.warranty_claim'), 'the admins see the claim');
    const answers = await admins((d) => h.executeUpdate(decideWarranty, { args: [d] }));
    return { outcome: (await h.result()) as WarrantyOutcome, answers };
  });
}

describe('a warranty claim waits for an admin and carries out the first decision once', () => {
  it('replaces the item from stock and delivers it once, however many admins press at once', async () => {
    const world = fakeWorld({ stock: 3 });
    const claim = openClaim(world);
    const { outcome, answers } = await runClaim(world, claim, (press) =>
      Promise.all(['900', '901', '902'].map((actor) => press({ decision: 'replace', actor }))),
    );
    expect(outcome).toBe('replaced');
    const accepted = answers.map((a) => (a as { accepted: boolean }).accepted);
    expect(accepted.filter(Boolean)).toHaveLength(1);
    expect(answers).toEqual(expect.arrayContaining([{ accepted: false, decision: 'replace' }]));
    expect(world.available).toBe(2);
    expect(world.reservation(claim.id)).toEqual({ qty: 1, status: 'committed' });
    expect(world.seenBy(CUSTOMER)).toEqual(['warranty.replaced']);
    // Recorded in the name of the admin whose press was taken.
    expect(world.claim(claim.id)).toMatchObject({
      status: 'replaced',
      decidedBy: ['900', '901', '902'][accepted.indexOf(true)],
    });
    expect(world.ledger()).toEqual([]);
  });

  it('answers a press on another button with the decision already taken', async () => {
    const world = fakeWorld({ stock: 3 });
    let recorded!: () => void;
    world.behaviour.holdClaims = new Promise((r) => (recorded = r));
    const claim = openClaim(world);
    const { outcome, answers } = await runClaim(world, claim, async (press) => {
      const first = await press({ decision: 'reject', actor: '900', reason: 'Bukan cacat produk' });
      await until(() => world.calls.resolveWarrantyClaim === 1, 'the rejection being recorded');
      const second = await press({ decision: 'refund', actor: '901' });
      recorded();
      return [first, second];
    });
    expect(outcome).toBe('rejected');
    expect(answers).toEqual([
      { accepted: true, decision: 'reject' },
      { accepted: false, decision: 'reject' },
    ]);
    expect(world.ledger()).toEqual([]);
  });

  it("refunds the calculator's amount once and tells the customer how much", async () => {
    const world = fakeWorld({ stock: 3 });
    world.claimRefund.amount = 28_000;
    const claim = openClaim(world);
    const { outcome } = await runClaim(world, claim, (press) =>
      Promise.all([press({ decision: 'refund', actor: '900' }), press({ decision: 'refund', actor: '900' })]),
    );
    expect(outcome).toBe('refunded');
    expect(world.ledger()).toEqual([{ userId: CUSTOMER, delta: 28_000, reason: 'refund' }]);
    expect(world.balance).toBe(28_000);
    expect(world.calls.resolveWarrantyClaim).toBe(1);
    expect(world.sent.find((s) => s.template === 'warranty.refunded')?.data).toMatchObject({
      amount: 28_000,
    });
    expect(world.available).toBe(3);
    expect(ledgerKeys.warrantyRefund(claim.id)).toBe(`warranty-refund:${claim.id}`);
  });

  it("rejects with the admin's reason, sent to the customer, and moves no money or stock", async () => {
    const world = fakeWorld({ stock: 3 });
    const claim = openClaim(world);
    const { outcome } = await runClaim(world, claim, (press) =>
      Promise.all([press({ decision: 'reject', actor: '900', reason: 'Akun dipakai di luar aturan' })]),
    );
    expect(outcome).toBe('rejected');
    expect(world.claim(claim.id)).toMatchObject({
      status: 'rejected',
      rejectReason: 'Akun dipakai di luar aturan',
    });
    expect(world.sent.find((s) => s.template === 'warranty.rejected')?.data).toMatchObject({
      reason: 'Akun dipakai di luar aturan',
    });
    expect(world.ledger()).toEqual([]);
    expect(world.available).toBe(3);
  });

  it('with no stock for a replacement, tells the admins and takes their next decision', async () => {
    const world = fakeWorld({ stock: 0 });
    world.claimRefund.amount = 10_000;
    // An admin presses again the moment the no-stock notice shows, before the run has heard that its
    // notice went: the decision is open again already.
    let told!: () => void;
    world.behaviour.holdAdminNotice = {
      template: 'admin.warranty_no_stock',
      until: new Promise((r) => (told = r)),
    };
    const claim = openClaim(world);
    const { outcome, answers } = await runClaim(world, claim, async (press) => {
      const first = await press({ decision: 'replace', actor: '900' });
      await until(
        () => world.seenBy(ADMIN).includes('admin.warranty_no_stock'),
        'the admins hear of no stock',
      );
      const second = await press({ decision: 'refund', actor: '900' });
      told();
      return [first, second];
    });
    expect(answers).toEqual([
      { accepted: true, decision: 'replace' },
      { accepted: true, decision: 'refund' },
    ]);
    expect(outcome).toBe('refunded');
    expect(world.seenBy(CUSTOMER)).toEqual(['warranty.refunded']);
    expect(world.balance).toBe(10_000);
  });

  it('keeps a replacement the customer could not be sent, and sends it on redeliver', async () => {
    const world = fakeWorld({ stock: 3 });
    world.blocked.add(CUSTOMER);
    const claim = openClaim(world);
    const { outcome } = await runClaim(world, claim, async (press) => {
      const answer = await press({ decision: 'replace', actor: '900' });
      await until(() => world.seenBy(ADMIN).includes('admin.delivery_failed'), 'the admins hear of it');
      expect(world.claim(claim.id)).toMatchObject({ status: 'replaced' });
      world.blocked.delete(CUSTOMER);
      await env.client.workflow.getHandle(claim.id).signal(redeliver);
      return [answer];
    });
    expect(outcome).toBe('replaced');
    expect(world.seenBy(CUSTOMER)).toEqual(['warranty.replaced']);
    expect(world.available).toBe(2);
  });

  it('does nothing again for a claim orders has already resolved', async () => {
    const world = fakeWorld({ stock: 3 });
    const claim = openClaim(world);
    world.storeClaim({ ...claim, status: 'rejected', rejectReason: 'x', decidedAt: 'now', decidedBy: '900' });
    const outcome = await withWorkers(env, world, async (taskQueue) => {
      track(claim.id);
      return env.client.workflow.execute('warrantyClaim', {
        taskQueue,
        workflowId: claim.id,
        args: [{ claimId: claim.id, invoiceId: claim.invoiceId, userId: claim.userId }],
      });
    });
    expect(outcome).toBe('rejected');
    expect(world.sent).toEqual([]);
  });
});
