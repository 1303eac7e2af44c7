import { newInvoiceId } from './invoice-id';

describe('newInvoiceId', () => {
  it('is INV + yyMMdd + 6 upper-case letters or digits, at most 20 characters', () => {
    const id = newInvoiceId(new Date('2026-11-25T10:00:00Z'));
    expect(id).toMatch(/^INV261125[A-Z0-9]{6}$/);
    expect(id.length).toBeLessThanOrEqual(20);
  });

  it('differs between calls', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newInvoiceId()));
    expect(ids.size).toBe(1000);
  });
});
