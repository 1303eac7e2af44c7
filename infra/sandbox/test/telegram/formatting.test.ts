import { BotApiError } from '../../src/telegram/api-error';
import { applyParseMode, formatText } from '../../src/telegram/formatting';

const refusalOf = (text: string, mode: string): string => {
  try {
    applyParseMode(text, mode);
  } catch (error) {
    if (error instanceof BotApiError) return error.description;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
};

describe('parse_mode', () => {
  it('turns HTML into the text a user reads', () => {
    expect(
      applyParseMode('<b>Total</b>: Rp&nbsp;1 &lt; <a href="https://x.id">2</a> &amp; 3 & 4', 'HTML'),
    ).toBe('Total: Rp&nbsp;1 < 2 & 3 & 4');
    expect(applyParseMode('<span class="tg-spoiler">kode</span> <tg-spoiler>A1</tg-spoiler>', 'html')).toBe(
      'kode A1',
    );
  });

  it("keeps HTML's look for the chat page, rebuilt from Telegram's tags only", () => {
    const html = (source: string, mode = 'HTML') => formatText(source, mode).html;
    expect(html('<b>Total</b>: 1 &lt; 2 &amp; <strong>3</strong> &#60;x&#62;')).toBe(
      '<b>Total</b>: 1 &lt; 2 &amp; <b>3</b> &lt;x&gt;',
    );
    // No attribute of the bot's survives but a web, tg: or mailto: link's href.
    expect(html('<a href="https://x.id/?a=1&amp;b=&quot;2&quot;" onclick="evil()">ok</a>')).toBe(
      '<a href="https://x.id/?a=1&amp;b=&quot;2&quot;" target="_blank" rel="noopener noreferrer">ok</a>',
    );
    expect(html('<a href=\'javascript:alert(1)\'>x</a> <a href="&#106;avascript:alert(1)">y</a>')).toBe(
      '<a>x</a> <a>y</a>',
    );
    expect(html('<b style="x" class="y">b</b><span class="tg-spoiler" onmouseover="z">s</span>')).toBe(
      '<b>b</b><span class="tg-spoiler">s</span>',
    );
    expect(html('<pre><code class="language-js">a &amp;&amp; b</code></pre><tg-spoiler>k</tg-spoiler>')).toBe(
      '<pre><code>a &amp;&amp; b</code></pre><span class="tg-spoiler">k</span>',
    );
    // Other parse modes (and none) show as plain text, escaped.
    expect(html('<b>x</b>', '')).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(html('*tebal* \\> <i', 'MarkdownV2')).toBe('tebal &gt; &lt;i');
  });

  it('refuses HTML Telegram refuses', () => {
    expect(refusalOf('1 < 2', 'HTML')).toMatch(
      /can't parse entities: Unsupported start tag "" at byte offset 2/,
    );
    expect(refusalOf('<b>tebal', 'HTML')).toMatch(/Can't find end tag corresponding to start tag "b"/);
    expect(refusalOf('<b><i>x</b></i>', 'HTML')).toMatch(/Unexpected end tag "b"/);
  });

  it('turns MarkdownV2 into text and insists on escaping', () => {
    expect(
      applyParseMode('*Rp 25\\.000* _x_ __u__ ~s~ ||sp|| [link](https://a.id/\\)) `c\\`d`', 'MarkdownV2'),
    ).toBe('Rp 25.000 x u s sp link c`d');
    expect(applyParseMode('```ts\nconst a = 1;\n```', 'MarkdownV2')).toBe('const a = 1;\n');
    expect(applyParseMode('>kutipan\nbiasa', 'MarkdownV2')).toBe('kutipan\nbiasa');
    expect(refusalOf('Harga (promo)', 'MarkdownV2')).toMatch(/Character '\(' is reserved/);
    expect(refusalOf('Stok: 5-10', 'MarkdownV2')).toMatch(/Character '-' is reserved/);
    expect(refusalOf('*tebal', 'MarkdownV2')).toMatch(/Can't find end of Bold entity at byte offset 0/);
  });

  it('reads legacy Markdown loosely', () => {
    expect(applyParseMode('*Total:* Rp 25.000 (promo) [situs](https://a.id)', 'Markdown')).toBe(
      'Total: Rp 25.000 (promo) situs',
    );
    expect(refusalOf('nama_produk', 'Markdown')).toMatch(
      /Can't find end of the entity starting at byte offset 4/,
    );
  });
});
