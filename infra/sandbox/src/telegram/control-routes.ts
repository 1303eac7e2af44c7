import { NotFound, parse, route } from '@quickcart/kit';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { failNextRule } from './faults';
import { telegramLimits } from './limits';
import type { ChatMessage } from './model';
import type { TelegramSandboxCore } from './sandbox-core';

const userBody = z.object({
  id: z.number().int().positive(),
  firstName: z.string().min(1),
  username: z.string().min(1).optional(),
  lastName: z.string().min(1).optional(),
  languageCode: z.string().min(2).optional(),
});

/**
 * The test switches over HTTP, for a test process that is not the sandbox's (end-to-end tests against
 * `npm start`). Not part of the Bot API; errors use the kit's shape like every other QuickCart service.
 */
export function telegramControlRoutes(core: TelegramSandboxCore): Router {
  const router = Router();
  const idParam = (req: Request, name: string) => parse(z.coerce.number().int(), req.params[name]);
  const knownUser = (req: Request) =>
    core.privateChat(idParam(req, 'userId')).user ?? { id: 0, firstName: '' };

  router.get('/_sandbox/chats', (_req, res) => void res.json(core.chats()));

  router.post(
    '/_sandbox/chats',
    route(async (req, res) => {
      const body = parse(
        z.object({
          id: z.number().int().negative(),
          type: z.enum(['group', 'supergroup', 'channel']),
          title: z.string().min(1),
        }),
        req.body,
      );
      core.createChat(body.id, body.type, body.title);
      res.status(201).json({ id: body.id });
    }),
  );

  router.post(
    '/_sandbox/chats/:chatId/migrate',
    route(async (req, res) => {
      const from = idParam(req, 'chatId');
      const { toChatId } = parse(z.object({ toChatId: z.number().int() }).strict(), req.body);
      core.migrateChat(from, toChatId);
      res.json({ from, to: toChatId });
    }),
  );

  router.get(
    '/_sandbox/chats/:chatId/messages',
    route(async (req, res) => {
      const chatId = idParam(req, 'chatId');
      if (!core.store.find(chatId)) throw new NotFound(`no chat ${chatId}`, 'chat');
      res.json(core.group(chatId).messages().map(messageJson));
    }),
  );

  router.post(
    '/_sandbox/users',
    route(async (req, res) => {
      const user = parse(userBody, req.body);
      core.user(user);
      res.status(201).json(user);
    }),
  );

  router.post(
    '/_sandbox/users/:userId/:action(block|unblock)',
    route(async (req, res) => {
      const userId = idParam(req, 'userId');
      if (req.params.action === 'block') core.block(userId);
      else core.unblock(userId);
      res.json({ userId, blocked: req.params.action === 'block' });
    }),
  );

  router.post(
    '/_sandbox/users/:userId/messages',
    route(async (req, res) => {
      const body = parse(
        z.object({ text: z.string().min(1), replyTo: z.number().int().optional() }),
        req.body,
      );
      res.status(201).json(messageJson(core.actions.send(knownUser(req), body)));
    }),
  );

  router.post(
    '/_sandbox/users/:userId/callback',
    route(async (req, res) => {
      const body = parse(z.object({ messageId: z.number().int(), data: z.string().min(1) }), req.body);
      res
        .status(201)
        .json({ callbackQueryId: core.actions.press(knownUser(req), body.messageId, body.data) });
    }),
  );

  router.get(
    '/_sandbox/users/:userId/callback-answers',
    route(async (req, res) => {
      res.json(core.store.callbackAnswers(idParam(req, 'userId')));
    }),
  );

  router.post(
    '/_sandbox/fail-next',
    route(async (req, res) => {
      core.failNext(parse(failNextRule, req.body));
      res.json({ pending: core.faults.pending() });
    }),
  );

  router.get('/_sandbox/limits', (_req, res) => void res.json(core.limits()));

  router.post(
    '/_sandbox/limits',
    route(async (req, res) => {
      res.json(core.setLimits(parse(telegramLimits.partial().strict(), req.body)));
    }),
  );

  router.get('/_sandbox/fail-next', (_req, res) => void res.json({ pending: core.faults.pending() }));

  router.post('/_sandbox/reset', (_req, res) => {
    core.reset();
    res.json({ reset: true });
  });

  router.get('/_sandbox/commands', (_req, res) => void res.json(Object.fromEntries(core.store.commands)));

  router.get('/_sandbox/webhook', (_req, res) => void res.json(core.webhookInfo()));

  return router;
}

/** A message for JSON: file bytes as base64, so a test in another process can compare them too. */
function messageJson(m: ChatMessage) {
  const file = (f: ChatMessage['photo']) =>
    f && {
      fileId: f.fileId,
      filename: f.filename,
      mimeType: f.mimeType,
      url: f.url,
      base64: f.bytes.toString('base64'),
    };
  return { ...m, photo: file(m.photo), document: file(m.document) };
}
