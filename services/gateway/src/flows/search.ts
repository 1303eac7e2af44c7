import { priceRoleOf, searchTerm } from '@quickcart/catalog/contract';
import { fitsCallback } from '../callback-data';
import { copyOf, type BotDeps, type ShopContext } from '../context';
import { showCategories, showList } from './browse';

/** The highest page a search's pager may name: its button must fit Telegram's 64 bytes with the word. */
const LONGEST_PAGE = 99_999;

/**
 * A typed word as a search (docs/features.md §2.3): spaces collapsed, the callback separator `|` taken
 * out; undefined when it is no word to search for (too long, or too long for a page button to carry).
 */
export function searchWord(typed: string): string | undefined {
  const word = typed.replace(/\|/g, ' ').replace(/\s+/g, ' ').trim();
  if (!searchTerm.safeParse(word).success) return undefined;
  return fitsCallback({ kind: 'search', word, page: LONGEST_PAGE }) ? word : undefined;
}

/**
 * Products whose name or category contains the word, any case, paged like the lists (the catalog
 * escapes `%` and `_`); nothing found says so above the categories.
 */
export async function searchProducts(
  d: BotDeps,
  ctx: ShopContext,
  word: string,
  page: number,
): Promise<void> {
  const list = await d.catalog.listProducts({ search: word, page, role: priceRoleOf(ctx.shop.user) });
  const { text } = copyOf(ctx);
  if (list.totalItems === 0) return showCategories(d, ctx, text.searchNothing(word));
  await showList(ctx, text.searchTitle(word), list, (p) => ({ kind: 'search', word, page: p }), {
    kind: 'menu',
  });
}
