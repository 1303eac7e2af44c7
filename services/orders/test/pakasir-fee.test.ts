import { QRIS_MIN_AMOUNT } from '@quickcart/pakasir';
import { DEPOSIT_MIN } from '../src/contract';
import { startTestStack, type TestStack } from './stack';

/** Issue 13: the quote follows Pakasir's tiered fee, Pakasir's answer is stored, and QRIS takes Rp500+. */
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(() => s.close());

let nextId = 7_300_000;
async function customer(balance = 0): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Dewi' });
  if (balance > 0)
    await s.worker.postLedgerEntry({
      userId: id,
      delta: balance,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
  return id;
}

async function product(price: number, stock = 3): Promise<number> {
  const { id } = await s.catalog.addProduct({ name: `P${price}`, price });
  await s.catalog.addStock(
    id,
    Array.from({ length: stock }, (_, i) => `p${price}-${i}`),
  );
  return id;
}

const quote = async (price: number) =>
  s.orders.quote({ userId: await customer(), productId: await product(price), quantity: 1 });

describe("the quote's QRIS fee", () => {
  it('follows Pakasir’s tiers: 0.7% + Rp310 up to Rp105.000, 1% above, half up', async () => {
    expect(await quote(105_000)).toMatchObject({ qrisFee: 1_045, qrisTotal: 106_045 });
    expect(await quote(105_001)).toMatchObject({ qrisFee: 1_050, qrisTotal: 106_051 });
    expect(await quote(200_000)).toMatchObject({ qrisFee: 2_000, qrisTotal: 202_000 }); // was 201_710
    expect(await quote(1_500)).toMatchObject({ qrisFee: 321 }); // 10.5 rounds up
  });
});

describe("Pakasir's answer to the create", () => {
  it('replaces the quoted fee and total on the order; the quote is kept once', async () => {
    const userId = await customer();
    const order = await s.orders.checkout({
      userId,
      productId: await product(200_000),
      quantity: 1,
      paymentMethod: 'qris',
    });
    expect(order).toMatchObject({
      paymentFee: 2_000,
      total: 202_000,
      quotedFee: null,
      invoiceTotalPayment: null,
    });

    const answered = await s.worker.recordPakasirInvoice(order.invoiceId, {
      fee: 2_010,
      totalPayment: 202_010,
    });
    expect(answered).toMatchObject({
      paymentFee: 2_010,
      total: 202_010,
      quotedFee: 2_000,
      invoiceTotalPayment: 202_010,
    });
    const again = await s.worker.recordPakasirInvoice(order.invoiceId, { fee: 2_010, totalPayment: 202_010 });
    expect(again).toMatchObject({ quotedFee: 2_000, total: 202_010 });
  });

  it('is refused for an order paid from the balance (it has no invoice)', async () => {
    const userId = await customer(50_000);
    const order = await s.orders.checkout({
      userId,
      productId: await product(10_000),
      quantity: 1,
      paymentMethod: 'balance',
    });
    await expect(
      s.worker.recordPakasirInvoice(order.invoiceId, { fee: 380, totalPayment: 10_380 }),
    ).rejects.toMatchObject({ reason: 'order' });
  });
});

describe('the QRIS minimum of Rp500', () => {
  it('refuses a QRIS purchase with Rp1–499 to pay before anything is reserved or ordered', async () => {
    for (const price of [1, 499]) {
      const userId = await customer();
      const productId = await product(price);
      await expect(
        s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' }),
      ).rejects.toMatchObject({ reason: 'qris_below_minimum', details: { minimum: 500, toPay: price } });
      expect(await s.catalog.product(productId)).toMatchObject({ stock: 3, reservedStock: 0 });
      expect((await s.orders.orderHistory(userId, 1)).items).toEqual([]);
    }
  });

  it('counts what is left after the voucher, and lets the balance pay it', async () => {
    const userId = await customer(1_000);
    const productId = await product(5_400);
    const [code] = (await s.orders.giveaway({ amount: 5_000, count: 1, actor: '1' })).codes;
    await expect(
      s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris', voucherCode: code }),
    ).rejects.toMatchObject({ reason: 'qris_below_minimum' });
    expect(await s.catalog.product(productId)).toMatchObject({ reservedStock: 0 });
    // The voucher was not held by the refused order: the balance order uses it.
    const paid = await s.orders.checkout({
      userId,
      productId,
      quantity: 1,
      paymentMethod: 'balance',
      voucherCode: code,
    });
    expect(paid).toMatchObject({ total: 400, voucherDiscount: 5_000 });
  });

  it('takes Rp500 by QRIS', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId: await product(500),
      quantity: 1,
      paymentMethod: 'qris',
    });
    expect(order).toMatchObject({ amount: 500, paymentFee: 314, total: 814 });
  });

  it('is below the smallest deposit, so no deposit meets it', () => {
    expect(DEPOSIT_MIN).toBeGreaterThanOrEqual(QRIS_MIN_AMOUNT);
  });
});

// Last: a second stack's close disturbs the first one's services in this process.
describe('the QRIS_FEE_TIERS setting', () => {
  it('gives the quote its tiers', async () => {
    const other = await startTestStack({ orders: { QRIS_FEE_TIERS: '1%+100,50000:2%' } });
    try {
      const { id } = await other.catalog.addProduct({ name: 'Other', price: 60_000 });
      await other.catalog.addStock(id, ['o1']);
      await other.orders.upsertUser({ id: 42, name: 'Tari' });
      expect(await other.orders.quote({ userId: 42, productId: id, quantity: 1 })).toMatchObject({
        qrisFee: 1_200,
      });
    } finally {
      await other.close();
    }
  });
});
