import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { NotifyMessage } from './contract';
import { qrMessage } from './qr';

/** The photo a `payment.qris` message carries, if any. */
const photoOf = (m: NotifyMessage) => (m.template === 'payment.qris' ? m.qrPngBase64 : undefined);

const QRIS =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800000000000208123456780303UMI51440014ID.CO.QRIS.WWW' +
  '0215ID10200000000000303UMI5204549953033605405600005802ID5913QUICKCART SHOP6007JAKARTA61051234062070703A016304ABCD';
const data = {
  kind: 'purchase' as const,
  invoiceId: 'INV1',
  totalPayment: 60_000,
  fee: 0,
  expiresAt: '2026-12-07T10:00:00.000Z',
  checkoutUrl: 'https://app.pakasir.com/pay/shop/60000?order_id=INV1',
};

describe('the QR photo of a QRIS payment', () => {
  it('holds the QRIS string, at 6 px a module on a white margin', async () => {
    const message = await qrMessage({ qrString: QRIS, data });
    const image = PNG.sync.read(Buffer.from(photoOf(message)!, 'base64'));
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(QRIS);
    expect(image.width).toBe((49 + 4) * 6); // version 8 (49 modules) and 2 modules of margin each side
    expect([...image.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('draws none when only Pakasir’s page is known: a QR of a URL scans in no banking app', async () => {
    const message = await qrMessage({ qrString: QRIS, data: { ...data, hostedPageOnly: true } });
    expect(photoOf(message)).toBeUndefined();
  });
});
