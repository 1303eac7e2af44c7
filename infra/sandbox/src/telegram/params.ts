import { z } from 'zod';
import { badRequest } from './api-error';
import type { ChatStore } from './chat-store';
import type { BotProfile } from './model';
import type { Upload } from './multipart';
import type { UpdateFeed } from './update-feed';

/** One Bot API call: fields from the query string and the JSON, urlencoded or multipart body. */
export interface BotApiCall {
  params: Record<string, unknown>;
  files: Map<string, Upload>;
  /** Aborted when the caller hangs up (a stopped bot's long poll). */
  signal: AbortSignal;
}

export interface BotApiDeps {
  store: ChatStore;
  feed: UpdateFeed;
  bot: BotProfile;
}

export type BotMethod = (call: BotApiCall, deps: BotApiDeps) => unknown;

/** Form fields arrive as strings, JSON fields typed; these accept both, as Telegram does. */
const fromJson = (value: unknown) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};
export const json = <S extends z.ZodType>(schema: S) => z.preprocess(fromJson, schema);
export const int = z.coerce.number().int();
export const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
/** A numeric id, or "@channelusername" (which the sandbox never knows, so it answers chat not found). */
export const chatId = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v),
  z.union([z.number().int(), z.string().min(1)]),
);
export const text = z.coerce.string();
export const reply = {
  reply_markup: z.unknown().optional(),
  parse_mode: z.string().optional(),
  reply_to_message_id: int.optional(),
  reply_parameters: json(
    z.object({ message_id: int, allow_sending_without_reply: flag.optional() }),
  ).optional(),
  allow_sending_without_reply: flag.optional(),
};

/** Parses a method's fields, answering 400 in Telegram's words ("chat_id is empty") when one is bad. */
export function readParams<S extends z.ZodType>(schema: S, call: BotApiCall): z.output<S> {
  const result = schema.safeParse(call.params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? 'parameters');
  const missing = call.params[field] === undefined && !call.files.has(field);
  throw badRequest(missing ? `${field} is empty` : `invalid ${field}: ${issue?.message ?? 'bad value'}`);
}
