import { Conflict } from '@quickcart/kit';
import { startTestStack, type TestStack } from './stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(() => s.close());

let nextId = 6_000_000;
async function newUser(): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id });
  return id;
}

describe('the balance ledger', () => {
  it('credits and debits, each once per idempotency key', async () => {
    const id = await newUser();
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 50_000,
      reason: 'transfer',
      idempotencyKey: `t-${id}`,
      actor: '1',
    });
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 50_000,
      reason: 'transfer',
      idempotencyKey: `t-${id}`,
      actor: '1',
    });
    await s.worker.postLedgerEntry({
      userId: id,
      delta: -20_000,
      reason: 'purchase',
      idempotencyKey: `p-${id}`,
    });
    expect((await s.orders.user(id)).balance).toBe(30_000);
    expect((await s.orders.ledger(id)).items.map((e) => [e.delta, e.balanceAfter])).toEqual([
      [-20_000, 30_000],
      [50_000, 50_000],
    ]);
  });

  it('refuses a debit beyond the balance with 409, changing nothing', async () => {
    const id = await newUser();
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 10_000,
      reason: 'deposit',
      idempotencyKey: `d-${id}`,
    });
    const error = await s.worker
      .postLedgerEntry({ userId: id, delta: -10_001, reason: 'purchase', idempotencyKey: `x-${id}` })
      .catch((e) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect(error.reason).toBe('insufficient_balance');
    expect((await s.orders.user(id)).balance).toBe(10_000);
  });

  it('refuses an idempotency key reused for another amount', async () => {
    const id = await newUser();
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 5_000,
      reason: 'deposit',
      idempotencyKey: `k-${id}`,
    });
    await expect(
      s.worker.postLedgerEntry({ userId: id, delta: 6_000, reason: 'deposit', idempotencyKey: `k-${id}` }),
    ).rejects.toMatchObject({
      reason: 'idempotency_key_reused',
    });
  });

  it('stays exact under 100 concurrent debits of one user and never goes negative', async () => {
    const id = await newUser();
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 50_000,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        s.worker.postLedgerEntry({
          userId: id,
          delta: -1_000,
          reason: 'purchase',
          idempotencyKey: `debit-${id}-${i}`,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(50);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason.reason === 'insufficient_balance'),
    ).toBe(true);
    const [{ balance, sum, min }] = await s.sql<{ balance: number; sum: number; min: number }>(
      `SELECT u.balance, CAST(sum(l.delta) AS bigint) AS sum, min(l.balance_after) AS min
         FROM orders.users u JOIN orders.ledger l ON l.user_id = u.id WHERE u.id = $1 GROUP BY u.balance`,
      [id],
    );
    expect(balance).toBe(0);
    expect(sum).toBe(0);
    expect(min).toBeGreaterThanOrEqual(0);
  });

  it('leaves an audit entry for every balance change, from which the balance can be rebuilt', async () => {
    const id = await newUser();
    await s.worker.postLedgerEntry({
      userId: id,
      delta: 70_000,
      reason: 'deposit',
      idempotencyKey: `a1-${id}`,
    });
    await s.worker.postLedgerEntry({
      userId: id,
      delta: -25_000,
      reason: 'purchase',
      idempotencyKey: `a2-${id}`,
    });
    const entries = await s.auditSql<{ action: string; after: { balance: number; delta: number } }>(
      "SELECT action, after FROM audit_log WHERE target_type = 'user' AND target_id = $1 AND action LIKE 'balance.%' ORDER BY id",
      [String(id)],
    );
    expect(entries.map((e) => e.action)).toEqual(['balance.deposit', 'balance.purchase']);
    expect(entries.reduce((sum, e) => sum + e.after.delta, 0)).toBe((await s.orders.user(id)).balance);
  });
});
