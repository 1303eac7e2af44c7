import { buildQrisString, crc16ccitt, parseEmv, verifyQrisCrc } from '../src';

describe('QRIS payload', () => {
  const payload = buildQrisString({ merchantName: 'quickcart-sandbox', amount: 30_520, orderId: 'INV-0042' });

  it('uses CRC-16/CCITT-FALSE (the standard check value of "123456789" is 29B1)', () => {
    expect(crc16ccitt('123456789')).toBe('29B1');
  });

  it('ends with a CRC over everything before it, including "6304"', () => {
    expect(payload.slice(-8, -4)).toBe('6304');
    expect(payload.slice(-4)).toMatch(/^[0-9A-F]{4}$/);
    expect(verifyQrisCrc(payload)).toBe(true);
  });

  it('fails the CRC check once a single character is changed', () => {
    const tampered = payload.replace('5405305205802ID', '5405399995802ID');
    expect(tampered).not.toBe(payload);
    expect(verifyQrisCrc(tampered)).toBe(false);
    expect(verifyQrisCrc(payload.slice(0, -1) + (payload.endsWith('0') ? '1' : '0'))).toBe(false);
    expect(verifyQrisCrc('not a qris')).toBe(false);
  });

  it('carries the amount in tag 54 and the order id in tag 62/01, readable with parseEmv', () => {
    const tags = parseEmv(payload);
    expect(tags['54']).toBe('30520');
    expect(parseEmv(tags['62']!)['01']).toBe('INV-0042');
  });

  it('is a dynamic rupiah QRIS from Indonesia with the QRIS merchant account', () => {
    const tags = parseEmv(payload);
    expect(tags).toMatchObject({ '00': '01', '01': '12', '52': '5999', '53': '360', '58': 'ID' });
    expect(tags['59']).toBe('quickcart-sandbox');
    expect(tags['60']).toBe('JAKARTA');
    const account = parseEmv(tags['26']!);
    expect(account['00']).toBe('ID.CO.QRIS.WWW');
    expect(account['02']).toMatch(/^ID\d{13}$/);
    expect(tags['63']).toBe(payload.slice(-4));
  });

  it('refuses a payload whose fields run past the end', () => {
    expect(() => parseEmv('000201540530')).toThrow(SyntaxError);
  });
});
