import { badRequest } from './api-error';
import type { InlineButton, KeyboardMarkup } from './model';

export interface Markup {
  inlineKeyboard?: InlineButton[][];
  keyboard?: KeyboardMarkup;
}

/** Fields of which an inline button must have exactly one (Bot API, InlineKeyboardButton). */
const ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

/**
 * reply_markup as JSON or as the JSON-encoded string multipart and urlencoded calls carry. Checks what
 * Telegram checks, above all the 64-byte callback_data limit a shop bot's codec must respect.
 */
export function readMarkup(value: unknown): Markup {
  if (value === undefined || value === null || value === '') return {};
  let markup: unknown = value;
  if (typeof value === 'string') {
    try {
      markup = JSON.parse(value);
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  if (typeof markup !== 'object' || markup === null) throw badRequest('object expected as reply markup');
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) {
    const rows = rowsOf(m.inline_keyboard, 'inline keyboard').map((row) => row.map(inlineButton));
    // An empty inline keyboard is how a bot removes the buttons: the message then has none.
    return rows.some((row) => row.length > 0) ? { inlineKeyboard: rows } : {};
  }
  if ('keyboard' in m) {
    const keyboard = rowsOf(m.keyboard, 'keyboard').map((row) =>
      row.map((b) => {
        const button = typeof b === 'string' ? { text: b } : (b as { text?: unknown });
        if (typeof button?.text !== 'string' || button.text === '')
          throw badRequest('keyboard button text is empty');
        return { ...button, text: button.text };
      }),
    );
    return { keyboard: { ...m, keyboard } };
  }
  if (m.remove_keyboard === true) return { keyboard: { remove_keyboard: true } };
  if (m.force_reply === true) return { keyboard: { ...m, force_reply: true } };
  throw badRequest(
    'unsupported reply markup: expected inline_keyboard, keyboard, remove_keyboard or force_reply',
  );
}

/** Edits carry inline keyboards only; a missing one removes the buttons, as in Telegram. */
export function readInlineMarkup(value: unknown): InlineButton[][] | undefined {
  const markup = readMarkup(value);
  if (markup.keyboard) throw badRequest('inline keyboard expected');
  return markup.inlineKeyboard;
}

export function sameKeyboard(a: InlineButton[][] | undefined, b: InlineButton[][] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function rowsOf(value: unknown, what: string): unknown[][] {
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    throw badRequest(`can't parse ${what}: field "${what}" must be an Array of Array`);
  }
  return value as unknown[][];
}

function inlineButton(value: unknown): InlineButton {
  const button = value as InlineButton;
  if (typeof button?.text !== 'string')
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  const actions = ACTIONS.filter((field) => button[field] !== undefined);
  if (actions.length !== 1) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const data = button.callback_data;
  if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64)) {
    throw badRequest('BUTTON_DATA_INVALID');
  }
  if (button.url !== undefined && !/^(https?|tg):\/\/\S+$/i.test(String(button.url))) {
    throw badRequest('BUTTON_URL_INVALID');
  }
  if (button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
  return { ...button };
}
