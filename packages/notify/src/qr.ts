import QRCode, { type QRCodeToBufferOptions } from 'qrcode';
import { z } from 'zod';
import { qrisData, type NotifyMessage } from './contract';

/** A QRIS payment as the customer is shown it: Pakasir's QRIS string and what the caption says. */
export const shownQr = z.object({ qrString: z.string().min(1), data: qrisData });
export type ShownQr = z.infer<typeof shownQr>;

/**
 * How the PNG is packed. A QR's rows repeat (6 px a module), so PNG's "Up" filter turns five rows of six
 * into zeros; left to choose, pngjs tries all five filters on every row, which was most of the gateway's
 * QR time (its CPU profile under the bench: a quarter of the gateway's CPU). Measured on a QRIS string
 * (318 px): 14.0 ms and 3.9 KB before, 5.7 ms and 9.5 KB with Up. qrcode hands `rendererOpts` to
 * pngjs's PNG as they are; its types name only the deflate options. qr.test.ts decodes what is drawn.
 */
const PACKING = { filterType: 2 } as QRCodeToBufferOptions['rendererOpts'];

/**
 * The `payment.qris` message of a shown QR, its QRIS string drawn as the photo. Only a QRIS string is
 * drawn: when only Pakasir's checkout page is known (hostedPageOnly) the message is text with the page's
 * button, since every banking app refuses a QR of a URL. 6 px a module (about 320 px for a QRIS string)
 * scans well and draws in a third of the time a 512 px stretch took.
 */
export async function qrMessage({ qrString, data }: ShownQr): Promise<NotifyMessage> {
  if (data.hostedPageOnly) return { template: 'payment.qris', data };
  const png = await QRCode.toBuffer(qrString, { type: 'png', scale: 6, margin: 2, rendererOpts: PACKING });
  return { template: 'payment.qris', data, qrPngBase64: png.toString('base64') };
}
