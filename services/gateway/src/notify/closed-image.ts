import { PNG } from 'pngjs';

/**
 * What replaces a QR once its invoice closed (expired, cancelled): a plain grey square, so the photo
 * message keeps its place in the chat but nothing in it can be scanned and paid (docs/delivery.md).
 * Drawn once; 320 px like a small QR, well inside Telegram's photo rules.
 */
export const CLOSED_QR_IMAGE: Buffer = (() => {
  const size = 320;
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = png.data[i + 1] = png.data[i + 2] = 0xd9;
    png.data[i + 3] = 0xff;
  }
  return PNG.sync.write(png);
})();
