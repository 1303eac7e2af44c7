/**
 * The copy in each language the shop speaks (docs/features.md §8.1): every key of customer.ts,
 * customer-screens.ts and admin.ts, with their English twins. Handlers and renderers take the set for
 * the reader (`copyIn(user.language)`): the customer or admin they answer, or the recipient of a notice.
 */
import { LANGUAGES, type Language } from '@quickcart/orders/contract';
import * as adminId from './admin';
import * as adminEn from './admin.en';
import * as customerId from './customer';
import * as customerEn from './customer.en';
import * as screensId from './customer-screens';
import * as screensEn from './customer-screens.en';

const bundle = (customer: typeof customerId, screens: typeof screensId, admin: typeof adminId) => ({
  text: customer.text,
  buttons: customer.buttons,
  commandMenu: customer.commandMenu,
  notices: customer.notices,
  screens,
  usage: admin.usage,
  adminText: admin.adminText,
  adminNotices: admin.adminNotices,
});
export type Copy = ReturnType<typeof bundle>;

export const COPY: Record<Language, Copy> = {
  id: bundle(customerId, screensId, adminId),
  en: bundle(customerEn, screensEn, adminEn),
};

/** Where no person's language is known (a group chat, a chat orders has no user for). */
export const SHOP_LANGUAGE: Language = 'id';

export const copyIn = (language: Language): Copy => COPY[language];

export { LANGUAGES, type Language };
