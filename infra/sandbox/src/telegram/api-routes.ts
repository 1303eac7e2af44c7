import type { Logger } from '@quickcart/kit';
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import { BotApiError } from './api-error';
import { botMethods } from './bot-methods';
import { editMethods } from './edit-methods';
import type { TelegramFaults } from './faults';
import { countedAs, type SendLimiter } from './limits';
import { parseMultipart, readBody, type Upload } from './multipart';
import type { BotApiCall, BotApiDeps, BotMethod } from './params';
import { sendMethods } from './send-methods';

/** Method names are case-insensitive in the Bot API. */
const METHODS = new Map<string, BotMethod>(
  Object.entries({ ...botMethods, ...sendMethods, ...editMethods }).map(([name, fn]) => [
    name.toLowerCase(),
    fn,
  ]),
);

export interface BotApiRouteDeps extends BotApiDeps {
  faults: TelegramFaults;
  sendLimiter: SendLimiter;
  logger: Logger;
  /** Unset: any token is accepted. */
  token?: string;
}

/**
 * Runs one method as Telegram would: faults first, then the send limits on sends and edits (429), then the method; refusals
 * become BotApiError. An `applied` fault runs the method and still answers the error (the answer lost
 * after Telegram acted).
 */
export async function runMethod(deps: BotApiRouteDeps, method: string, call: BotApiCall): Promise<unknown> {
  const handler = METHODS.get(method.toLowerCase());
  if (!handler) throw new BotApiError(404, 'Not Found');
  const fault = deps.faults.take(method, call);
  if (!fault) {
    const counted = countedAs(method);
    // An inline message's edit names no chat (inline_message_id): nothing to pace it by.
    if (counted && call.params.chat_id !== undefined) deps.sendLimiter.admit(call.params.chat_id, counted);
    return handler(call, deps);
  }
  if (fault.applied) await handler(call, deps);
  throw fault.error;
}

/** The Bot API at `/bot<token>/<method>` (GET or POST; JSON, urlencoded or multipart) and file downloads. */
export function botApiRoutes(deps: BotApiRouteDeps): Router {
  const router = Router();
  const tokenOk = (token: string) => deps.token === undefined || token === deps.token;

  router.all(/^\/bot([^/]+)\/([A-Za-z]+)$/, express.urlencoded({ extended: false }), (req, res) => {
    const [token = '', method = ''] = [req.params[0], req.params[1]];
    const hangUp = new AbortController();
    res.on('close', () => hangUp.abort());
    const answer = async () => {
      if (!tokenOk(token)) throw new BotApiError(401, 'Unauthorized');
      const call = { ...(await readCall(req)), signal: hangUp.signal };
      const result = await runMethod(deps, method, call);
      deps.logger.debug('bot api call', { method, chatId: call.params.chat_id });
      return { ok: true, result };
    };
    answer().then(
      (body) => res.json(body),
      (error: unknown) => sendError(res, error, deps.logger, method),
    );
  });

  router.get(/^\/file\/bot([^/]+)\/(.+)$/, (req, res) => {
    const file = tokenOk(req.params[0] ?? '')
      ? deps.store.file((req.params[1] ?? '').split('/').pop() ?? '')
      : undefined;
    if (!file || file.bytes.length === 0) return void res.status(404).json(new BotApiError(404, 'Not Found'));
    res.type(file.mimeType ?? 'application/octet-stream').send(file.bytes);
  });

  return router;
}

/**
 * A body the app's express.json could not parse still gets the Bot API's error shape. Mounted on the
 * app itself: a router never sees errors raised before it.
 */
export function malformedBotCall(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!/^\/bot[^/]+\//.test(req.path)) return next(error);
    sendError(res, new BotApiError(400, "Bad Request: can't parse JSON object"), logger, '');
  };
}

/** Query string, then the body: JSON (already parsed by the app), urlencoded, or multipart with files. */
async function readCall(req: Request): Promise<Omit<BotApiCall, 'signal'>> {
  const params: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  let files = new Map<string, Upload>();
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = parseMultipart(await readBody(req), type);
    Object.assign(params, form.fields);
    files = form.files;
  } else if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
    Object.assign(params, req.body);
  }
  return { params, files };
}

function sendError(res: express.Response, error: unknown, logger: Logger, method: string): void {
  if (res.headersSent || res.writableEnded) return;
  if (error instanceof BotApiError) {
    res.status(error.code).json(error);
    return;
  }
  logger.error('bot api method failed', { method, error });
  res.status(500).json(new BotApiError(500, 'Internal Server Error'));
}
