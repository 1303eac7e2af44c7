import { usageOf } from '../../../services/gateway/src/admin/command';
import { ADMIN_COMMANDS } from '../../../services/gateway/src/admin/register';
import { useAdminChat } from './admin-chat';
import { newUserId } from './bot-system';

/** One input per admin command that does not fit its format. */
const MALFORMED: Record<string, string> = {
  add: '/add 101|Netflix|Streaming|gratis|-',
  addstock: '/addstock 101',
  del: '/del satu',
  delstock: '/delstock 101|bukan-uuid',
  delallstock: '/delallstock',
  editid: '/editid 101',
  editcategory: '/editcategory 101',
  editsold: '/editsold 101|banyak',
  disc: '/disc 101|150%',
  discat: '/discat Streaming',
  priceress: '/priceress 101|murah',
  exportstock: '/exportstock',
  info: '/info budi',
  pm: '/pm 123',
  transfer: '/transfer 123|-5',
  editbalance: '/editbalance 123',
  ban: '/ban',
  unban: '/unban @budi',
  addadmin: '/addadmin 1|2',
  rmadmin: '/rmadmin x',
  addreseller: '/addreseller',
  rmress: '/rmress -5',
  giveaway: '/giveaway 10000|0',
  whitelist: '/whitelist grup',
  rm: '/rm 0',
  broadcast: '/broadcast',
  setformula: '/setformula m_lt7',
  version: '/version 2',
  audit: '/audit semua',
  stuck: '/stuck dua',
  report: '/report kemarin',
  exportorders: '/exportorders',
  setimage: '/setimage 101',
  setwarranty: '/setwarranty 101 sebulan',
  lang: '/lang jawa',
};

/**
 * The access rule and the format rule for every admin command at once: a customer sending a valid
 * command gets no answer and changes nothing; an admin sending a malformed one gets the format and an
 * example, and nothing changes. "Nothing changes" is read from the audit log, where every change lands,
 * and from the records the commands would touch.
 */
describe('every admin command: silence for customers, the format for malformed input', () => {
  const chat = useAdminChat();
  let productId: number;
  let stockId: string;
  let target: number;
  beforeAll(async () => {
    const product = await chat.sys.stack.catalog.addProduct({
      name: 'Netflix',
      category: 'Streaming',
      price: 50_000,
    });
    productId = product.id;
    await chat.sys.stack.catalog.addStock(productId, ['akun1:pass1']);
    stockId = (await chat.sys.stack.catalog.exportStock(productId)).items[0].id;
    target = newUserId();
    chat.sys.telegram.user({ id: target, firstName: 'Target' });
    await chat.sys.stack.orders.upsertUser({ id: target, name: 'Target' });
  });

  const state = async () => ({
    audit: await chat.sys.stack.auditSql('SELECT count(*)::int AS n FROM audit_log'),
    product: await chat.sys.stack.catalog.product(productId, { includeInactive: true }),
    // Not /exportstock's API: an export is itself on the record.
    stock: await chat.sys.stack.sql('SELECT id, status FROM catalog.stock_items WHERE product_id = $1', [
      productId,
    ]),
    target: await chat.sys.stack.orders.user(target),
    groups: await chat.sys.stack.sql('SELECT chat_id FROM orders.notification_groups'),
    settings: await chat.sys.stack.sql('SELECT value FROM orders.settings'),
    broadcasts: await chat.sys.stack.sql('SELECT id FROM orders.broadcasts'),
    warranties: await chat.sys.stack.sql('SELECT product_id, days FROM orders.product_warranties'),
  });

  it('covers every admin command', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual(ADMIN_COMMANDS.map((c) => c.name).sort());
  });

  it('a customer sending any admin command, well-formed, gets no answer and changes nothing', async () => {
    const before = await state();
    for (const command of ADMIN_COMMANDS) {
      const valid = usageOf('id', command)
        .example.split('  ')[0]
        .replace('0b6f3a52-5c1e-4f0e-9a3d-2b7e8c1d4f00', stockId)
        .replace(/\b101\b/, String(productId))
        .replace(/\b123456789\b/, String(target));
      await chat.customerGetsNothing(valid);
    }
    expect(await state()).toEqual(before);
    expect(chat.sys.telegram.user({ id: target, firstName: 'Target' }).messages()).toEqual([]);
  });

  it('an admin sending a malformed command gets the format and its example; nothing changes', async () => {
    const before = await state();
    for (const command of ADMIN_COMMANDS) {
      const answer = await chat.asAdmin(MALFORMED[command.name]);
      expect(answer).toMatch(/^Format salah\. Contoh penggunaan yang benar:\n/);
      expect(answer).toContain(`Contoh: ${usageOf('id', command).example}`);
    }
    expect(await state()).toEqual(before);
  });
});
