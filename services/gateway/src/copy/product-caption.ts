import type { ProductDetail } from '@quickcart/catalog/contract';
import { CAPTION_LIMIT, visibleLength } from '../telegram-limits';

/**
 * §2.4 with a picture: the product's detail (in the reader's language) as the photo's caption, which
 * Telegram caps at 1,024 characters; a description too long for it is cut with "…" (the rest of the
 * detail always shows).
 */
export function fitCaption(
  p: ProductDetail,
  qty: number,
  detail: (p: ProductDetail, qty: number) => string,
): string {
  let caption = detail(p, qty);
  const description = [...p.description];
  for (let keep = description.length; visibleLength(caption) > CAPTION_LIMIT && keep > 0;) {
    keep = Math.max(0, keep - (visibleLength(caption) - CAPTION_LIMIT) - 1);
    caption = detail({ ...p, description: description.slice(0, keep).join('') + '…' }, qty);
  }
  return caption;
}
