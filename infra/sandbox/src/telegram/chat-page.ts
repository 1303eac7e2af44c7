import { NotFound, parse, route } from '@quickcart/kit';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { chatListPage, chatPage } from './chat-page-html';
import { chatState } from './chat-state';
import type { SandboxChat } from './model';
import type { TelegramSandboxCore } from './sandbox-core';

/** How long a state request naming the current version waits for a change before answering anyway. */
const LONG_POLL_MS = 25_000;
/** Names for customers made in one click, so several of them are easy to tell apart. */
const NAMES = ['Rina', 'Budi', 'Sari', 'Dodi', 'Ayu', 'Agus', 'Dewi', 'Eko', 'Putri', 'Joko'];

const userForm = z.object({
  id: z.coerce.number().int().positive().safe(),
  firstName: z
    .string()
    .trim()
    .optional()
    .transform((n) => n || undefined),
  username: z
    .string()
    .trim()
    .optional()
    .transform((u) => u || undefined),
});

export interface ChatPage {
  router: Router;
  /** Answers every waiting long poll now, so the server can close without waiting them out. */
  release(): void;
}

/**
 * Telegram in a browser, for a person trying the bot by hand: `/` lists the chats, `/chat/<id>` is one
 * user's chat (made on first visit, as if that person had just found the bot). The page draws itself
 * from `/chat/<id>/state`, long-polled, so the bot's edits and deletions show as they happen.
 */
export function chatPageRoutes(core: TelegramSandboxCore): ChatPage {
  const router = Router();
  const waits = new Set<() => void>();
  const idOf = (req: Request) => parse(z.coerce.number().int().safe(), req.params.chatId);

  /** A private chat opens (and makes) the user; a group or channel only if the bot has one. */
  const open = (req: Request): SandboxChat => {
    const id = idOf(req);
    const known = core.store.find(id);
    if (known) return known;
    if (id <= 0) throw new NotFound(`no chat ${id}`, 'chat');
    core.user({ id, firstName: `User ${id}` });
    return core.privateChat(id);
  };
  /** Sending and pressing are a person's: only in a private chat the sandbox knows. */
  const person = (req: Request) => {
    const chat = core.privateChat(idOf(req));
    return chat.user ?? { id: chat.id, firstName: `User ${chat.id}` };
  };

  router.get('/', (_req, res) => void res.type('html').send(chatListPage(core.chats(), core.bot.firstName)));

  router.post(
    '/chat/new',
    route(async (_req, res) => {
      const id = freshUserId(core);
      core.user({ id, firstName: NAMES[id % NAMES.length] as string });
      res.redirect(303, `/chat/${id}`);
    }),
  );

  router.post(
    '/chat',
    express.urlencoded({ extended: false }),
    route(async (req, res) => {
      const form = parse(userForm, req.body);
      const chat = core.store.find(form.id);
      if (!chat || form.firstName) {
        core.user({ id: form.id, firstName: form.firstName ?? `User ${form.id}`, username: form.username });
      }
      res.redirect(303, `/chat/${form.id}`);
    }),
  );

  router.get(
    '/chat/:chatId',
    route(async (req, res) => {
      const chat = open(req);
      res.type('html').send(chatPage(chat.id, chat.title ?? chat.user?.firstName ?? String(chat.id)));
    }),
  );

  router.get(
    '/chat/:chatId/state',
    route(async (req, res) => {
      const chat = open(req);
      const since = Number(req.query.since);
      if (since === core.store.version) await changeOrTimeout(res);
      res.json(chatState(core, core.store.find(chat.id) ?? chat));
    }),
  );

  router.get(
    '/chat/:chatId/files/:fileId',
    route(async (req, res) => {
      const file = core.store.file(req.params.fileId ?? '');
      if (!file || file.bytes.length === 0) throw new NotFound('no such file', 'file');
      if (req.query.download !== undefined) res.attachment(file.filename ?? 'file'); // sets Content-Disposition, and the type by the name
      // A file id names one upload for good, so the browser may keep it.
      res.set('cache-control', 'private, max-age=86400, immutable');
      res.type(file.mimeType ?? 'application/octet-stream').send(file.bytes);
    }),
  );

  router.post(
    '/chat/:chatId/send',
    route(async (req, res) => {
      const user = person(req);
      const { text } = parse(z.object({ text: z.string().trim().min(1).max(4096) }), req.body);
      res.json({ messageId: core.actions.send(user, { text }).id });
    }),
  );

  router.post(
    '/chat/:chatId/press',
    route(async (req, res) => {
      const user = person(req);
      const body = parse(z.object({ messageId: z.number().int(), data: z.string().min(1) }), req.body);
      res.json({ callbackQueryId: core.actions.press(user, body.messageId, body.data) });
    }),
  );

  /** Resolves at the store's next change, after LONG_POLL_MS, when the browser leaves, or on release. */
  function changeOrTimeout(res: Response): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        waits.delete(done);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, LONG_POLL_MS);
      const unsubscribe = core.store.onChange(done);
      waits.add(done);
      res.on('close', done);
    });
  }

  return { router, release: () => [...waits].forEach((done) => done()) };
}

/**
 * An id no chat here has and, across restarts, unlikely to be an old customer's in the database: the
 * clock in seconds, which only moves forward.
 */
function freshUserId(core: TelegramSandboxCore): number {
  let id = Math.floor(Date.now() / 1000);
  while (core.store.find(id)) id++;
  return id;
}
