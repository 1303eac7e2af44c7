import type { ChatMessage, TelegramTestUser } from '@quickcart/sandbox';
import { Writable } from 'node:stream';
import winston from 'winston';
import { ADMIN_ID } from '../../../services/orders/test/stack';
import { textOf } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

/**
 * Group chats (docs/features.md §4): the bot speaks in a group only to relay a reply to a customer's
 * message, in a whitelisted notification group, at a person's pace; anything else there is ignored
 * quietly (no reply, no error), and counted.
 */
const LIMIT = 5;
let sys: BotSystem;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    { LOG_LEVEL: 'debug', RATE_LIMIT_PER_MINUTE: String(LIMIT) },
    { worker: false },
  );
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  sys.gatewayLogger.clear().add(new winston.transports.Stream({ stream: sink }));
  await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
});
afterAll(() => sys?.close());

const errorLines = () => lines.filter((l) => l.level === 'error');
const ignored = (chatId: number) =>
  lines.filter((l) => l.message === 'group update ignored' && l.chatId === chatId).length;

let nextMessageId = 1;
/** A member's message in a group, as Telegram sends it (the sandbox's users write in private chats). */
function inGroup(
  group: { id: number; title: string },
  from: { id: number; name: string },
  text: string,
  replyTo?: Pick<ChatMessage, 'id' | 'date' | 'text'>,
): void {
  const chat = { id: group.id, type: 'supergroup', title: group.title };
  const command = /^\/\w+/.exec(text);
  sys.telegram.feed.push({
    message: {
      message_id: 500_000 + nextMessageId++,
      from: { id: from.id, is_bot: false, first_name: from.name },
      chat,
      date: Math.floor(Date.now() / 1000),
      text,
      ...(command && { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
      ...(replyTo && {
        reply_to_message: {
          message_id: replyTo.id,
          from: { id: sys.telegram.bot.id, is_bot: true, first_name: sys.telegram.bot.firstName },
          chat,
          date: replyTo.date,
          text: replyTo.text,
        },
      }),
    },
  });
}

const newGroup = (title: string) => {
  const id = -1_000_000_000_000 - newUserId();
  const view = sys.telegram.createChat(id, 'supergroup', title);
  return { id, title, view };
};

/** What people type in a group: commands (an admin's too), replies, plain text, product numbers. */
const CHATTER = [
  '/start',
  '/help',
  '/stock',
  `/transfer ${ADMIN_ID}|1000`,
  '/info 1',
  'halo',
  '1',
  'KIRIM PESAN',
];

it('ignores 40 messages in a group that is not whitelisted: no reply, no error, each counted', async () => {
  const group = newGroup('Grup Asing');
  const member = { id: newUserId(), name: 'Anggota' };
  const admin = { id: ADMIN_ID, name: 'Admin' };
  const earlier = { id: 42, date: 1, text: 'lama' };
  for (let i = 0; i < 40; i++) {
    const text = CHATTER[i % CHATTER.length];
    inGroup(group, i % 5 === 0 ? admin : member, text, i % 3 === 0 ? earlier : undefined);
  }
  await eventually(
    () => ignored(group.id) + errorLines().length,
    (n) => n >= 40,
    'the 40 group messages handled',
  );
  expect(errorLines()).toEqual([]);
  expect(ignored(group.id)).toBe(40);
  expect(group.view.botMessages()).toEqual([]);
  expect(sys.telegram.chats().find((c) => c.id === member.id)).toBeUndefined();
});

describe('in a whitelisted group', () => {
  const group = { id: 0, title: 'Grup Toko' };
  let view: ReturnType<typeof newGroup>['view'];
  let customer: TelegramTestUser;
  let forwarded: ChatMessage;
  const member = { id: newUserId(), name: 'Staf' };

  beforeAll(async () => {
    const made = newGroup(group.title);
    group.id = made.id;
    view = made.view;
    await sys.stack.orders.setNotificationGroup(group.id, true, String(ADMIN_ID));
    customer = sys.telegram.user({ id: newUserId(), firstName: 'Tanya' });
    await sys.stack.orders.upsertUser({ id: customer.id, name: 'Tanya' });
    await customer.send('/start');
    await customer.waitForText('Halo Tanya');
    await customer.tapKeyboard('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan untuk admin');
    await customer.send('Kapan restock?');
    forwarded = await view.waitForText('Kapan restock?');
  });

  it('answers nothing but the reply relay: other commands and text get no reply and no error', async () => {
    for (const text of CHATTER) inGroup(group, member, text);
    inGroup(group, member, 'Besok pagi', forwarded);
    await customer.waitForText('Balasan admin:\nBesok pagi');
    await view.waitForText('✅ Balasan terkirim.', { after: forwarded.id });
    await eventually(
      () => ignored(group.id),
      (n) => n >= CHATTER.length,
      'the chatter ignored',
    );
    expect(errorLines()).toEqual([]);
    expect(view.botMessages().map(textOf)).toEqual([textOf(forwarded), '✅ Balasan terkirim.']);
  });

  it('relays at a person’s pace: over the minute’s limit, one notice and nothing more', async () => {
    // A minute's count: start early in a minute, so the burst is counted in one.
    const second = new Date().getSeconds();
    if (second > 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const before = customer.botMessages().length;
    for (let i = 1; i <= LIMIT + 3; i++) inGroup(group, member, `Jawaban ${i}`, forwarded);
    await view.waitForText('terlalu cepat');
    await eventually(
      () => ignored(group.id),
      (n) => n >= CHATTER.length + 3,
      'the burst handled',
    );
    // The reply counted in the previous test may share this minute: at most LIMIT relayed in it.
    const relayed = customer.botMessages().length - before;
    expect(relayed).toBeGreaterThanOrEqual(LIMIT - 1);
    expect(relayed).toBeLessThanOrEqual(LIMIT);
    expect(view.botMessages().filter((m) => textOf(m).includes('terlalu cepat'))).toHaveLength(1);
    expect(errorLines()).toEqual([]);
  }, 90_000);
});
