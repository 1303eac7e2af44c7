import { esc as escapeHtml } from '../page-style';
import { badRequest, type BotApiError } from './api-error';

/**
 * Applies parse_mode the way Telegram does and returns the text a user reads. Refusing what Telegram
 * refuses matters more than the styling: an unescaped `.` in MarkdownV2 ("Rp 25.000") or a stray `<` in
 * HTML makes the real API answer 400, and a sandbox that accepted it would hide the bug.
 */
export function applyParseMode(source: string, parseMode: string | undefined): string {
  return formatText(source, parseMode).text;
}

/** What a user reads, plain (`text`) and as the chat page shows it (`html`, safe to insert as markup). */
export interface Formatted {
  text: string;
  html: string;
}

/**
 * The text a user reads and its look for the chat page. Only parse_mode HTML keeps its styling there:
 * the bot writes HTML, and Markdown shown as plain text still reads right.
 */
export function formatText(source: string, parseMode: string | undefined): Formatted {
  switch (parseMode?.toLowerCase()) {
    case undefined:
    case '':
      return plain(source);
    case 'html':
      return fromHtml(source);
    case 'markdownv2':
      return plain(fromMarkdownV2(source));
    case 'markdown':
      return plain(fromMarkdown(source));
    default:
      throw badRequest(`unsupported parse_mode "${parseMode}"`);
  }
}

const plain = (text: string): Formatted => ({ text, html: escapeHtml(text) });

const cantParse = (source: string, at: number, what: string): BotApiError =>
  badRequest(`can't parse entities: ${what} at byte offset ${Buffer.byteLength(source.slice(0, at))}`);

/** Tags of the Bot API's "HTML style" (Formatting options); `<br>` and friends are refused. */
const HTML_TAGS = new Set(
  'b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji'.split(' '),
);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * The chat page's markup for one of Telegram's tags, rebuilt rather than copied: no attribute of the
 * bot's survives but a link's http(s)/tg/mailto href, so nothing the bot sends can run script in the page.
 */
function safeTag(name: string, attributes: string, closing: boolean): string {
  const element = { strong: 'b', em: 'i', ins: 'u', strike: 's', del: 's' }[name] ?? name;
  if (element === 'tg-spoiler' || element === 'span' || element === 'tg-emoji')
    return closing ? '</span>' : element === 'tg-emoji' ? '<span>' : '<span class="tg-spoiler">';
  if (element !== 'a') return closing ? `</${element}>` : `<${element}>`;
  if (closing) return '</a>';
  const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attributes);
  const url = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '');
  if (!/^(https?:|tg:|mailto:)/i.test(url)) return '<a>';
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([\da-f]+)|([a-z]+));/gi, (whole, dec, hex, name) => {
    if (name !== undefined) return NAMED_ENTITIES[String(name).toLowerCase()] ?? whole;
    return String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex, 16));
  });
}

function fromHtml(source: string): Formatted {
  let out = '';
  let html = '';
  const open: string[] = [];
  for (let i = 0; i < source.length;) {
    const ch = source[i] as string;
    if (ch === '<') {
      const end = source.indexOf('>', i);
      const tag = /^<(\/?)([a-zA-Z][\w-]*)(\s[^>]*)?>$/.exec(end < 0 ? '' : source.slice(i, end + 1));
      if (!tag) throw cantParse(source, i, 'Unsupported start tag ""');
      const name = (tag[2] as string).toLowerCase();
      if (tag[1] === '/') {
        if (open.pop() !== name) throw cantParse(source, i, `Unexpected end tag "${name}"`);
      } else if (!HTML_TAGS.has(name)) {
        throw cantParse(source, i, `Unsupported start tag "${name}"`);
      } else open.push(name);
      html += safeTag(name, tag[3] ?? '', tag[1] === '/');
      i = end + 1;
    } else if (ch === '&') {
      const entity = /^&(?:#(\d+)|#x([\da-f]+)|([a-z]+));/i.exec(source.slice(i, i + 12));
      const named = entity?.[3] !== undefined ? NAMED_ENTITIES[entity[3].toLowerCase()] : undefined;
      const code = entity?.[1] ? Number(entity[1]) : entity?.[2] ? parseInt(entity[2], 16) : undefined;
      const decoded = named ?? (code !== undefined ? String.fromCodePoint(code) : undefined);
      // Telegram leaves a lone `&` (and unknown names) as written.
      out += decoded ?? ch;
      html += escapeHtml(decoded ?? ch);
      i += decoded !== undefined && entity ? entity[0].length : 1;
    } else {
      out += ch;
      html += escapeHtml(ch);
      i++;
    }
  }
  if (open.length > 0) {
    throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  }
  return { text: out, html };
}

const V2_NAMES: Record<string, string> = {
  '*': 'Bold',
  _: 'Italic',
  __: 'Underline',
  '~': 'Strikethrough',
  '||': 'Spoiler',
  '[': 'TextUrl',
};

function fromMarkdownV2(source: string): string {
  let out = '';
  const open: { mark: string; at: number }[] = [];
  let lineStart = true;
  for (let i = 0; i < source.length;) {
    const ch = source[i] as string;
    const wasLineStart = lineStart;
    lineStart = ch === '\n';
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw cantParse(source, i, "Character '\\' is reserved");
      out += next;
      i += 2;
    } else if (ch === '`') {
      const fence = source.startsWith('```', i) ? '```' : '`';
      const end = findUnescaped(source, fence, i + fence.length);
      if (end < 0) throw cantParse(source, i, `Can't find end of ${fence === '`' ? 'Code' : 'Pre'} entity`);
      let body = source.slice(i + fence.length, end).replace(/\\([\\`])/g, '$1');
      if (fence === '```') body = body.replace(/^[^\n]*\n/, (lang) => (/\s/.test(lang.trim()) ? lang : ''));
      out += body;
      i = end + fence.length;
    } else if (ch === '>' && wasLineStart) {
      i++;
    } else if (ch === ']' && open.at(-1)?.mark === '[') {
      if (source[i + 1] !== '(') throw cantParse(source, i, "Character ']' is reserved");
      const close = findUnescaped(source, ')', i + 2);
      if (close < 0) throw cantParse(source, i, "Can't find end of a URL");
      open.pop();
      i = close + 1;
    } else {
      const mark =
        ch === '_' && source[i + 1] === '_' ? '__' : ch === '|' && source[i + 1] === '|' ? '||' : ch;
      if (!(mark in V2_NAMES)) {
        if ('_*[]()~`>#+-=|{}.!'.includes(ch)) {
          throw cantParse(
            source,
            i,
            `Character '${ch}' is reserved and must be escaped with the preceding '\\'`,
          );
        }
        out += ch;
        i++;
        continue;
      }
      const top = open.at(-1);
      if (mark !== '[' && top?.mark === mark) open.pop();
      else if (open.some((o) => o.mark === mark && mark !== '[')) {
        throw cantParse(source, top?.at ?? i, `Can't find end of ${V2_NAMES[top?.mark ?? mark]} entity`);
      } else open.push({ mark, at: i });
      i += mark.length;
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) throw cantParse(source, unclosed.at, `Can't find end of ${V2_NAMES[unclosed.mark]} entity`);
  return out;
}

/** Legacy Markdown: no nesting, and only the entity characters themselves can be escaped. */
function fromMarkdown(source: string): string {
  let out = '';
  for (let i = 0; i < source.length;) {
    const ch = source[i] as string;
    if (ch === '\\' && '_*`['.includes(source[i + 1] ?? '')) {
      out += source[i + 1];
      i += 2;
      continue;
    }
    const mark = source.startsWith('```', i) ? '```' : '_*`['.includes(ch) ? ch : undefined;
    if (mark === undefined) {
      out += ch;
      i++;
      continue;
    }
    const endMark = mark === '[' ? ']' : mark;
    const end = source.indexOf(endMark, i + mark.length);
    if (end < 0) throw cantParse(source, i, "Can't find end of the entity starting");
    out += source.slice(i + mark.length, end);
    i = end + endMark.length;
    if (mark === '[' && source[i] === '(') {
      const close = source.indexOf(')', i);
      if (close < 0) throw cantParse(source, i, "Can't find end of a URL");
      i = close + 1;
    }
  }
  return out;
}

function findUnescaped(source: string, needle: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source.startsWith(needle, i)) return i;
  }
  return -1;
}
