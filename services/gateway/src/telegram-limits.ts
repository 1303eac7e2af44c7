import type { Telegram } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { Convenience } from 'telegraf/types';

/**
 * Telegram refuses a message over 4096 characters and a caption over 1024, counted as the person reads
 * them (tags not counted, `&lt;` one character, UTF-16 units). Every message built from input of no
 * fixed size (a stock list, a product's description, what a customer or an admin typed) goes through
 * here: split at line boundaries into messages that fit, the buttons under the last.
 */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

type Token =
  | { kind: 'open'; raw: string; name: string }
  | { kind: 'close'; raw: string; name: string }
  | { kind: 'text'; raw: string; length: number };

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Tags, entities and single characters (whole code points, so a cut never halves an emoji). */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /<(\/?)([a-zA-Z][\w-]*)[^>]*>|&(?:#(\d+)|#x([\da-fA-F]+)|([a-zA-Z]+));|[\s\S]/gu;
  for (const m of html.matchAll(pattern)) {
    const raw = m[0];
    if (m[2] !== undefined) {
      tokens.push({ kind: m[1] ? 'close' : 'open', raw, name: m[2].toLowerCase() });
    } else if (raw.startsWith('&') && raw.length > 1) {
      const code = m[3] ? Number(m[3]) : m[4] ? parseInt(m[4], 16) : undefined;
      const shown =
        code !== undefined ? String.fromCodePoint(code) : (NAMED[m[5]?.toLowerCase() ?? ''] ?? raw);
      tokens.push({ kind: 'text', raw, length: shown.length });
    } else {
      tokens.push({ kind: 'text', raw, length: raw.length });
    }
  }
  return tokens;
}

/** The length Telegram counts for `html` (parse_mode HTML). */
export function visibleLength(html: string): number {
  return tokenize(html).reduce((n, t) => n + (t.kind === 'text' ? t.length : 0), 0);
}

/**
 * `html` as messages of at most `limit` visible characters. Cuts fall between lines; a single line
 * longer than the limit is cut at its last space that fits (anywhere, when it has none). Tags open at
 * a cut are closed there and opened again in the next part, so every part is valid HTML on its own.
 * Parts with nothing to read are dropped (Telegram refuses an empty message).
 */
export function splitHtml(html: string, limit = TEXT_LIMIT): string[] {
  if (visibleLength(html) <= limit) return [html];
  const parts: string[] = [];
  const open: Extract<Token, { kind: 'open' }>[] = [];
  let part = '';
  let length = 0;
  const flush = () => {
    const closing = [...open].reverse().map((t) => `</${t.name}>`);
    if (part.replace(/<[^>]*>/g, '').trim() !== '') parts.push(part + closing.join(''));
    part = open.map((t) => t.raw).join('');
    length = 0;
  };
  const add = (t: Token) => {
    part += t.raw;
    if (t.kind === 'text') length += t.length;
    else if (t.kind === 'open') open.push(t);
    else if (open.at(-1)?.name === t.name) open.pop();
  };
  for (const [index, line] of lines(tokenize(html)).entries()) {
    const lineLength = line.reduce((n, t) => n + (t.kind === 'text' ? t.length : 0), 0);
    const newline = index === 0 ? 0 : 1;
    if (length + newline + lineLength <= limit) {
      if (newline) add({ kind: 'text', raw: '\n', length: 1 });
      line.forEach(add);
      continue;
    }
    flush();
    if (lineLength <= limit) {
      line.forEach(add);
      continue;
    }
    for (const piece of cutLongLine(line, limit)) {
      if (length > 0) flush();
      piece.forEach(add);
    }
  }
  flush();
  return parts;
}

/**
 * Blocks of html (notices of a digest) joined by `separator` into as few messages of at most `limit`
 * visible characters as they fit, each block whole; a block longer than the limit alone is its own
 * message (and is cut by splitHtml where it is sent).
 */
export function packBlocks(blocks: string[], separator = '\n\n', limit = TEXT_LIMIT): string[] {
  const messages: string[] = [];
  let current: string | undefined;
  for (const block of blocks) {
    const joined: string = current === undefined ? block : current + separator + block;
    if (current === undefined || visibleLength(joined) <= limit) current = joined;
    else {
      messages.push(current);
      current = block;
    }
  }
  if (current !== undefined) messages.push(current);
  return messages;
}

/** Splits the token stream at newlines (the newline itself belongs to neither line). */
function lines(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'text' && t.raw === '\n') out.push([]);
    else out.at(-1)!.push(t);
  }
  return out;
}

/** A line longer than `limit`, in pieces that fit, cut after a space where there is one. */
function cutLongLine(line: Token[], limit: number): Token[][] {
  const pieces: Token[][] = [];
  let piece: Token[] = [];
  let length = 0;
  let lastSpace = -1;
  for (const t of line) {
    const size = t.kind === 'text' ? t.length : 0;
    if (length + size > limit) {
      const cut = lastSpace > 0 ? lastSpace + 1 : piece.length;
      pieces.push(piece.slice(0, cut));
      piece = piece.slice(cut);
      length = piece.reduce((n, p) => n + (p.kind === 'text' ? p.length : 0), 0);
      lastSpace = -1;
    }
    piece.push(t);
    length += size;
    if (t.kind === 'text' && t.raw === ' ') lastSpace = piece.length - 1;
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/**
 * A photo's caption that may be too long: the photo takes the first part that fits a caption, the
 * rest follows as text messages.
 */
export function splitCaption(html: string): { caption: string; rest: string[] } {
  const [caption = '', ...more] = splitHtml(html, CAPTION_LIMIT);
  return { caption, rest: more.length > 0 ? splitHtml(more.join('\n'), TEXT_LIMIT) : [] };
}

type TextExtra = Convenience.ExtraReplyMessage;
type PhotoExtra = Convenience.ExtraPhoto;

/** Sends `html` in as many messages as it needs; `extra` (the buttons) goes with the last. */
export async function sendLongText(
  telegram: Telegram,
  chatId: number,
  html: string,
  extra: TextExtra = {},
): Promise<Message.TextMessage[]> {
  const parts = splitHtml(html);
  const { reply_markup, ...rest } = extra;
  const sent: Message.TextMessage[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    sent.push(
      await telegram.sendMessage(chatId, part, {
        parse_mode: 'HTML',
        ...rest,
        ...(last && reply_markup ? { reply_markup } : {}),
      }),
    );
  }
  return sent;
}

/** A photo with a caption of any length: the photo with what fits, then the rest as text. */
export async function sendLongPhoto(
  telegram: Telegram,
  chatId: number,
  photo: string,
  captionHtml: string,
  extra: PhotoExtra = {},
): Promise<Message[]> {
  const { caption, rest } = splitCaption(captionHtml);
  const photoMessage = await telegram.sendPhoto(chatId, photo, { parse_mode: 'HTML', ...extra, caption });
  const more = rest.length > 0 ? await sendLongText(telegram, chatId, rest.join('\n')) : [];
  return [photoMessage, ...more];
}
