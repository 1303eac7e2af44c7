import type { SandboxUser } from '@quickcart/sandbox';
import type { RunState } from './run-state';
import { sleep, type Random } from './settings';
import { ADMIN_ID } from './setup';

const NASTY = [
  "'; DROP TABLE orders.orders; --",
  "1' OR '1'='1",
  '$(rm -rf /)',
  '`reboot`',
  '| cat /etc/passwd',
  '%s%s%s%n',
  '../../../../etc/shadow',
  '<b>bold</b><script>alert(1)</script>',
  '\u202eevil\u202c',
  'Z\u0351\u0364\u035b\u0300a\u0357\u0350l\u0346g\u0342o',
  '\u0000\u0001\u0002',
  '🧨💣🔥'.repeat(50),
  '{"__proto__":{"admin":true}}',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999999',
];

const ADMIN_COMMANDS = [
  (self: number) => `/editbalance ${self} 99999999`,
  (self: number) => `/addadmin ${self}`,
  (self: number) => `/addreseller ${self}`,
  () => '/giveaway 100000 50',
  () => '/broadcast you have been hacked',
  () => '/add Hacked|1000|x',
  (_: number, product: number) => `/delallstock ${product}`,
  (_: number, product: number) => `/exportstock ${product}`,
  () => `/ban ${ADMIN_ID}`,
  (self: number) => `/transfer ${self} 1000000`,
  () => '/setformula base_days 1',
  () => '/whitelist',
  () => '/audit',
  (_: number, product: number) => `/editsold ${product} 100000`,
];

const BROKEN_ARGS = [
  '/order',
  '/order -1',
  "/order INV' OR 1=1",
  '/stock abc',
  '/start %00',
  '/help ' + 'x'.repeat(500),
  '/start ' + '9'.repeat(64),
];

function randomUnicode(rng: Random, length: number): string {
  return Array.from({ length }, () => {
    const cp = rng.chance(0.3) ? rng.int(0x1f300, 0x1faff) : rng.int(0x20, 0xd7ff);
    return String.fromCodePoint(cp);
  }).join('');
}

/**
 * Updates no honest customer sends: random and maximum-length text, unicode, SQL and shell
 * metacharacters, forged and foreign callback data, broken command arguments, admin commands. Sent by
 * a few registered customers and strangers; the checks afterwards look for any effect they had.
 */
export async function hostileUpdates(
  s: RunState,
  count: number,
  durationMs: number,
  rng: Random,
): Promise<void> {
  const { c, tally } = s;
  const users: SandboxUser[] = Array.from({ length: 8 }, (_, i) => ({
    id: 960_000_000 + i,
    firstName: `Mallory ${i}`,
  }));
  const gap = durationMs / count;
  for (let i = 0; i < count && Date.now() < s.until; i++) {
    const user = rng.pick(users);
    const kind = rng.weighted({
      random_text: 3,
      max_length: 1,
      nasty: 3,
      broken_command: 2,
      admin_command: 2,
      forged_callback: 3,
      foreign_callback: 2,
    });
    try {
      const text = (() => {
        switch (kind) {
          case 'random_text':
            return randomUnicode(rng, rng.int(1, 300));
          case 'max_length':
            return rng.chance(0.5) ? 'A'.repeat(4096) : randomUnicode(rng, 2048);
          case 'nasty':
            return rng.pick(NASTY);
          case 'broken_command':
            return rng.pick(BROKEN_ARGS);
          case 'admin_command':
            return rng.pick(ADMIN_COMMANDS)(user.id, rng.pick(s.shop.products));
          default:
            return undefined;
        }
      })();
      if (text !== undefined) c.telegram.actions.send(user, { text });
      else forgedPress(s, user, kind === 'foreign_callback' ? foreignData(s, rng) : randomData(rng));
      tally.add(`hostile_${kind}`);
      tally.add('hostile_updates');
    } catch {
      tally.add('hostile_not_sent');
    }
    await sleep(gap);
  }
}

function randomData(rng: Random): string {
  const forms = [
    () => randomUnicode(rng, rng.int(1, 20)),
    () => `qty:${rng.int(-5, 5)}:${rng.int(-1, 1e6)}`,
    () => `pay:qris:INV${rng.int(0, 999999)}`,
    () => 'x'.repeat(64),
    () => `{"kind":"qty","productId":${rng.int(1, 9)},"qty":-1}`,
  ];
  return rng.pick(forms)();
}

/** Callback data another customer's keyboard carried: pressed by someone it was never shown to. */
function foreignData(s: RunState, rng: Random): string {
  const chats = [...s.presses.keys()];
  if (chats.length === 0) return randomData(rng);
  const buttons = (s.c.telegram.store.find(rng.pick(chats))?.messages ?? [])
    .flatMap((m) => m.inlineKeyboard?.flat() ?? [])
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
  return buttons.length > 0 ? rng.pick(buttons) : randomData(rng);
}

/** A callback query Telegram would never send: data no button of this chat carries. */
function forgedPress(s: RunState, user: SandboxUser, data: string): void {
  const { store, feed } = s.c.telegram;
  const chat = store.addUser(user);
  const messageId = chat.messages.at(-1)?.id ?? 1;
  const id = store.openQuery(user.id, chat.id, messageId, data);
  feed.push({
    callback_query: {
      id,
      from: { id: user.id, is_bot: false, first_name: user.firstName },
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat.id, type: 'private', first_name: user.firstName },
        text: 'forged',
      },
      chat_instance: chat.chatInstance,
      data,
    },
  });
}
