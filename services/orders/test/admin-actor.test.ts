import { ORDERS_REFUSAL } from '../src/contract';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

/**
 * docs/security.md, least privilege: the gateway's token reaches the admin routes, so each admin change
 * is made only for an actor who is an admin in orders' own data, whoever holds the token.
 */
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(() => s.close());

let nextId = 7_100_000;
async function newUser(): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id });
  return id;
}
const notAdmin = { reason: ORDERS_REFUSAL.notAdmin };

describe('an admin change names an admin, or nothing changes', () => {
  it('refuses a role, a ban and a balance changed in the name of a customer', async () => {
    const customer = await newUser();
    const target = await newUser();
    const actor = String(customer);
    await expect(s.orders.setRole(target, 'admin', actor)).rejects.toMatchObject(notAdmin);
    await expect(s.orders.setRole(customer, 'admin', actor)).rejects.toMatchObject(notAdmin);
    await expect(s.orders.setBanned(target, true, actor)).rejects.toMatchObject(notAdmin);
    await expect(
      s.orders.setBalance(target, { balance: 1_000_000, idempotencyKey: `eb-${target}`, actor }),
    ).rejects.toMatchObject(notAdmin);
    expect(await s.orders.user(target)).toMatchObject({ role: 'customer', isBanned: false, balance: 0 });
    expect(await s.orders.user(customer)).toMatchObject({ role: 'customer' });
  });

  it('refuses vouchers minted in the name of someone who is not an admin, or of no one known', async () => {
    for (const actor of [String(await newUser()), '424242424', 'system', 'gateway']) {
      await expect(
        s.orders.giveaway({ amount: 1_000_000, count: 5, actor, requestKey: `ga-${actor}-${Date.now()}` }),
      ).rejects.toMatchObject(notAdmin);
    }
    expect(await s.sql('SELECT 1 FROM orders.vouchers WHERE amount = 1000000')).toEqual([]);
  });

  it('lets an admin promoted with /addadmin act, and stops them once removed', async () => {
    const promoted = await newUser();
    const target = await newUser();
    await s.orders.setRole(promoted, 'admin', String(ADMIN_ID));
    expect((await s.orders.setRole(target, 'reseller', String(promoted))).role).toBe('reseller');
    await s.orders.setRole(promoted, 'customer', String(ADMIN_ID), 'admin');
    await expect(s.orders.setRole(target, 'customer', String(promoted))).rejects.toMatchObject(notAdmin);
    expect((await s.orders.user(target)).role).toBe('reseller');
  });
});
