import {
  CAPTION_LIMIT,
  packBlocks,
  splitCaption,
  splitHtml,
  TEXT_LIMIT,
  visibleLength,
} from './telegram-limits';

/** Tags open and close in order in every part: each part parses on its own. */
const balanced = (html: string): boolean => {
  const open: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    if (!m[1]) open.push(m[2]!);
    else if (open.pop() !== m[2]) return false;
  }
  return open.length === 0;
};

describe('telegram limits', () => {
  it('counts what the person reads: no tags, an entity as one character, UTF-16 units', () => {
    expect(visibleLength('<b>Stok</b> &lt;3 &amp; &#128512;')).toBe('Stok <3 & 😀'.length);
    expect(visibleLength('<a href="https://x.test/a">tautan</a>')).toBe(6);
  });

  it('leaves a message that fits alone, exactly at the limit too', () => {
    const full = `<b>${'a'.repeat(TEXT_LIMIT)}</b>`;
    expect(splitHtml(full)).toEqual([full]);
    expect(splitHtml('halo')).toEqual(['halo']);
  });

  it('cuts between lines, each part within the limit, nothing lost', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i + 1}. Produk nomor ${i + 1} — stok ${i * 3}`);
    const html = lines.join('\n');
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(parts.join('\n')).toBe(html);
    expect(parts.every((p) => !p.startsWith('\n') && !p.endsWith('\n'))).toBe(true);
  });

  it('closes a tag open at a cut and opens it again in the next part', () => {
    const html = `<b>Judul</b>\n<code>${Array.from({ length: 400 }, (_, i) => `akun${i}@mail.test:sandi${i}`).join('\n')}</code>`;
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(balanced(p)).toBe(true);
      expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
    }
    expect(parts[1]!.startsWith('<code>')).toBe(true);
    expect(parts[0]!.endsWith('</code>')).toBe(true);
  });

  it('cuts one over-long line after a space, or anywhere when it has none, never inside an entity or emoji', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `kata${i}`).join(' ');
    const parts = splitHtml(words);
    for (const p of parts) expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(parts.slice(0, -1).every((p) => p.endsWith(' '))).toBe(true);
    expect(parts.join('')).toBe(words);

    const solid = '😀&lt;'.repeat(3000); // 9000 visible characters, no space anywhere
    const cut = splitHtml(solid);
    expect(cut.map(visibleLength).every((n) => n <= TEXT_LIMIT)).toBe(true);
    expect(cut.join('')).toBe(solid);
    expect(cut.every((p) => !/&[a-z]*$/.test(p) && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it('drops parts with nothing to read', () => {
    expect(splitHtml(`${'x'.repeat(TEXT_LIMIT)}\n   \n<b> </b>`)).toEqual(['x'.repeat(TEXT_LIMIT)]);
  });

  it('gives a photo the part of a long caption that fits, the rest as messages', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Baris promo ke-${i} &amp; diskon`).join('\n');
    const { caption, rest } = splitCaption(text);
    expect(visibleLength(caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(rest.length).toBeGreaterThan(0);
    for (const p of rest) expect(visibleLength(p)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect([caption, ...rest].join('\n')).toBe(text);
    expect(splitCaption('pendek')).toEqual({ caption: 'pendek', rest: [] });
  });

  it('packs whole blocks into as few messages as fit, a block too long alone its own message', () => {
    const blocks = Array.from({ length: 100 }, (_, i) =>
      `🆕 Order <b>${i}</b>\n🧾 Invoice: INV${i}`.padEnd(90, '.'),
    );
    const messages = packBlocks(blocks);
    expect(messages).toHaveLength(3); // 83 visible characters and a blank line each: 8,498 in all
    for (const m of messages) expect(visibleLength(m)).toBeLessThanOrEqual(TEXT_LIMIT);
    // As few as fit: no message could have taken the next block too.
    for (const m of messages.slice(0, -1)) expect(visibleLength(m) + 2 + 83).toBeGreaterThan(TEXT_LIMIT);
    expect(messages.join('\n\n')).toBe(blocks.join('\n\n'));
    const long = 'x'.repeat(TEXT_LIMIT + 1);
    expect(packBlocks(['a', long, 'b'])).toEqual(['a', long, 'b']);
    expect(packBlocks(['a', 'b'], '\n')).toEqual(['a\nb']);
  });
});
