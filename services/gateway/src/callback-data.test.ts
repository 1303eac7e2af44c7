import { decode, encode, fitsCallback, type Action } from './callback-data';

describe('callback data', () => {
  it.each<Action>([
    { kind: 'menu' },
    { kind: 'qty', productId: 101, qty: 5 },
    { kind: 'category', name: 'Streaming', page: 2 },
    { kind: 'payStatus', invoiceId: 'INV261125AB12CD' },
    { kind: 'depositAmount', amount: 250_000 },
    { kind: 'edit', field: 'whatsapp' },
    { kind: 'warrantyClaim', invoiceId: 'INV261125AB12CD' },
    // The longest claim id: a 40-character invoice id and its 9999th claim.
    { kind: 'warrantyRefund', claimId: `warranty-${'I'.repeat(40)}-9999` },
    { kind: 'warrantyReject', claimId: 'warranty-INV261125AB12CD-2' },
  ])('round-trips %j within 64 bytes', (action) => {
    const data = encode(action);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decode(data)).toEqual(action);
  });

  it('refuses data it did not make', () => {
    expect(decode('nonsense')).toBeUndefined();
    expect(decode('q|abc|1')).toBeUndefined();
    expect(decode('q|1')).toBeUndefined();
    expect(decode('e|password')).toBeUndefined();
    expect(decode('wf|INV261125AB12CD')).toBeUndefined(); // an invoice is not a claim
  });

  it('will not make data over 64 bytes', () => {
    const long = {
      kind: 'category',
      name: 'Kategori dengan nama yang sangat panjang sekali 🎬🎬🎬',
      page: 1,
    } as const;
    expect(fitsCallback(long)).toBe(false);
    expect(() => encode(long)).toThrow(/64 bytes/);
  });
});
