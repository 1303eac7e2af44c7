import type { ChatMessage } from '@quickcart/sandbox';
import { textOf, useAdminChat } from './admin-chat';
import { newUserId } from './bot-system';
import { eventually } from './eventually';

/**
 * Telegram refuses a text over 4096 characters and a caption over 1024 (the sandbox too). Every message
 * built from input of no fixed size gets its longest input here and must arrive whole, in parts that
 * each fit (services/gateway/src/telegram-limits.ts).
 */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** `length` characters of words, with `<` and `&` so escaping counts too; numbered so order shows. */
function longText(length: number, tag: string): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += `${tag}${i} <&> `;
  return out.slice(0, length - 3) + 'END';
}

const chat = useAdminChat();
type Chat = typeof chat.customer;

/** Everything the bot sent after message `after`, read in order as one text. */
function botTextAfter(user: Chat, after: number): { parts: ChatMessage[]; text: string } {
  const parts = user.messages().filter((m: ChatMessage) => m.from === 'bot' && m.id > after);
  return { parts, text: parts.map(textOf).join('\n') };
}

const lastId = (user: Chat) => user.messages().at(-1)?.id ?? 0;
const squash = (s: string) => s.replace(/\s+/g, ' ');

/** Waits until `marker` arrived after `after`; every part is within Telegram's limit by construction. */
async function received(user: Chat, after: number, marker: string) {
  const got = await eventually(
    () => botTextAfter(user, after),
    (r) => r.text.includes(marker),
    marker,
    30_000,
  );
  for (const m of got.parts) {
    expect((m.text ?? '').length).toBeLessThanOrEqual(4096);
    expect((m.caption ?? '').length).toBeLessThanOrEqual(1024);
  }
  return got;
}

describe('messages from long input reach the person whole', () => {
  it('the stock list of many long-named products comes in several messages', async () => {
    const names = Array.from({ length: 30 }, (_, i) =>
      `${'Produk bernama sangat panjang '.repeat(6)}${i}`.slice(0, 200),
    );
    const ids: number[] = [];
    for (const name of names) {
      const { id } = await chat.sys.stack.catalog.addProduct({ name, price: 1_000 });
      await chat.sys.stack.catalog.addStock(id, [`isi-${id}`]);
      ids.push(id);
    }
    const after = lastId(chat.customer);
    await chat.customer.send('/stock');
    const { parts, text } = await received(chat.customer, after, `${ids.at(-1)}. ${names.at(-1)}`);
    expect(parts.length).toBeGreaterThan(1);
    for (const [i, id] of ids.entries()) expect(text).toContain(`${id}. ${names[i]} — stok 1`);
  });

  it('a product with a 4000-character description shows all of it, the buttons under the last part', async () => {
    const description = longText(4000, 'desk');
    const { id } = await chat.sys.stack.catalog.addProduct({ name: 'Panjang', price: 5_000, description });
    await chat.sys.stack.catalog.addStock(id, ['p1', 'p2']);
    const after = lastId(chat.customer);
    await chat.customer.send(String(id));
    const { parts, text } = await received(chat.customer, after, 'Jumlah: 1');
    expect(parts.length).toBeGreaterThan(1);
    expect(squash(text)).toContain(squash(description));
    expect(
      parts
        .at(-1)!
        .inlineKeyboard?.flat()
        .map((b) => b.text),
    ).toContain('Lanjut ke pembayaran');
    await chat.customer.press('+');
    await received(chat.customer, parts.at(-1)!.id, 'Jumlah: 2');
  });

  it('a 4096-character message to the admins and a 4096-character reply both arrive whole', async () => {
    const customer = chat.sys.telegram.user({ id: newUserId(), firstName: 'Curhat' });
    await chat.sys.stack.orders.upsertUser({ id: customer.id, name: 'Curhat' });
    await customer.send('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan');
    const question = longText(4096, 'tanya');
    const adminAfter = lastId(chat.admin);
    await customer.send(question);
    const relayed = await received(chat.admin, adminAfter, 'Balas pesan ini untuk menjawab');
    expect(relayed.parts.length).toBeGreaterThan(1);
    expect(squash(relayed.text)).toContain(squash(question));

    const answer = longText(4096, 'jawab');
    const customerAfter = lastId(customer);
    await chat.admin.reply(relayed.parts[0]!.id, answer);
    const replied = await received(customer, customerAfter, 'jawab');
    await eventually(
      () => squash(botTextAfter(customer, customerAfter).text),
      (t) => t.includes(squash(answer)),
      'the whole reply',
      30_000,
    );
    expect(replied.parts[0]!.text).toContain('Balasan admin');
  });

  it("a customer's photo with a long caption reaches the admins as the photo and the text", async () => {
    const customer = chat.sys.telegram.user({ id: newUserId(), firstName: 'Foto' });
    await chat.sys.stack.orders.upsertUser({ id: customer.id, name: 'Foto' });
    await customer.send('KIRIM PESAN');
    await customer.waitForText('Silakan kirim pesan');
    const caption = longText(4096, 'bukti'); // a Premium user's caption may be this long
    const adminAfter = lastId(chat.admin);
    await customer.sendPhoto(PNG, caption);
    const relayed = await received(chat.admin, adminAfter, 'Balas pesan ini untuk menjawab');
    expect(relayed.parts[0]!.photo).toBeDefined();
    expect(squash(relayed.text)).toContain(squash(caption));
  });

  it('/pm with the longest text an admin can type arrives whole', async () => {
    const command = `/pm ${chat.customer.id}|`;
    const message = longText(4096 - command.length, 'pm');
    const after = lastId(chat.customer);
    await chat.admin.send(command + message);
    await chat.admin.waitForText('✅ Pesan terkirim.');
    const { parts, text } = await received(chat.customer, after, 'END');
    expect(parts.length).toBeGreaterThan(1);
    expect(squash(text)).toContain(squash(message));
  });

  it('a photo broadcast with a 4000-character caption goes out as the photo and the rest as text', async () => {
    const body = longText(4000, 'promo');
    const after = lastId(chat.customer);
    await chat.admin.sendPhoto(PNG, `/broadcast ${body}`);
    await chat.admin.waitForText(/Broadcast dimulai/);
    const { parts, text } = await received(chat.customer, after, 'END');
    expect(parts[0]!.photo).toBeDefined();
    expect(parts.length).toBeGreaterThan(1);
    expect(squash(text)).toContain(squash(body));
  });
});
