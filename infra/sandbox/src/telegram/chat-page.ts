import { parse, route } from '@quickcart/kit';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import type { ChatMessage, SandboxChat, SandboxFile } from './model';
import type { TelegramSandboxCore } from './sandbox-core';

const userForm = z.object({
  id: z.coerce.number().int().positive(),
  firstName: z.string().trim().min(1),
  username: z
    .string()
    .trim()
    .optional()
    .transform((u) => u || undefined),
});

/**
 * A chat in the browser, for a person trying the bot by hand: plain forms, one page per user. After a
 * click the page waits a moment for the bot, so its answer is usually there on the redirect.
 */
export function chatPageRoutes(core: TelegramSandboxCore): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false });

  router.get('/', (_req, res) => void res.type('html').send(page('Telegram Sandbox', chatList(core))));

  router.post(
    '/chat',
    form,
    route(async (req, res) => {
      const user = parse(userForm, req.body);
      core.user(user);
      res.redirect(303, `/chat/${user.id}`);
    }),
  );

  router.get(
    '/chat/:userId',
    route(async (req, res) => {
      const chat = core.privateChat(Number(req.params.userId));
      res
        .type('html')
        .send(page(`Chat with ${chat.user?.firstName ?? chat.id}`, conversation(chat), chat.id));
    }),
  );

  // The page reloads itself when this number changes and the text box is empty.
  router.get('/chat/:userId/version', (_req, res) => void res.type('text').send(String(core.store.version)));

  router.post(
    '/chat/:userId/send',
    form,
    route(async (req, res) => {
      const chat = core.privateChat(Number(req.params.userId));
      const { text } = parse(z.object({ text: z.string().min(1) }), req.body);
      await afterBotAnswers(core, () =>
        core.actions.send(chat.user ?? { id: chat.id, firstName: '' }, { text }),
      );
      back(res, chat);
    }),
  );

  router.post(
    '/chat/:userId/press',
    form,
    route(async (req, res) => {
      const chat = core.privateChat(Number(req.params.userId));
      const form = parse(z.object({ messageId: z.coerce.number().int(), data: z.string().min(1) }), req.body);
      await afterBotAnswers(core, () =>
        core.actions.press(chat.user ?? { id: chat.id, firstName: '' }, form.messageId, form.data),
      );
      back(res, chat);
    }),
  );

  return router;
}

/** Runs the action, then waits for the bot's first change (1.5 s at most) and a little for the rest. */
async function afterBotAnswers(core: TelegramSandboxCore, action: () => unknown): Promise<void> {
  action();
  const acted = core.store.version;
  const answered = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), 1500);
    const unsubscribe = core.store.onChange(() => core.store.version > acted && finish(true));
    function finish(seen: boolean) {
      clearTimeout(timer);
      unsubscribe();
      resolve(seen);
    }
  });
  // Bots often answer in two steps (answer the query, then edit), so give the second one a moment.
  if (answered) await new Promise((resolve) => setTimeout(resolve, 200));
}

const back = (res: Response, chat: SandboxChat) => res.redirect(303, `/chat/${chat.id}#end`);

function chatList(core: TelegramSandboxCore): string {
  const rows = core
    .chats()
    .map((c) => {
      const name = c.title ?? `${c.firstName ?? ''}${c.username ? ` (@${c.username})` : ''}`;
      const label = `${esc(name)} · ${c.type} · ${c.messageCount} messages${c.blocked ? ' · blocked' : ''}`;
      return `<li>${c.type === 'private' ? `<a href="/chat/${c.id}">${label}</a>` : label} <small>${c.id}</small></li>`;
    })
    .join('');
  return `<ul>${rows || '<li>No chats yet.</li>'}</ul>
    <h2>New user</h2>
    <form method="post" action="/chat">
      <input name="id" type="number" min="1" placeholder="user id" required>
      <input name="firstName" placeholder="first name" required>
      <input name="username" placeholder="username (optional)">
      <button>Open chat</button>
    </form>`;
}

function conversation(chat: SandboxChat): string {
  const messages = chat.messages.map((m) => bubble(chat, m)).join('');
  const keyboard = (chat.replyKeyboard ?? [])
    .map(
      (row) =>
        `<div class="row">${row.map((text) => sendForm(chat, text, `<button>${esc(text)}</button>`)).join('')}</div>`,
    )
    .join('');
  return `<p><a href="/">All chats</a> · <a href="/chat/${chat.id}">Refresh</a>${chat.blocked ? ' · bot blocked' : ''}</p>
    <div class="chat">${messages || '<p>No messages yet. Say /start.</p>'}</div><a id="end"></a>
    ${keyboard && `<div class="keyboard">${keyboard}</div>`}
    ${sendForm(chat, '', '<input name="text" id="text" autofocus autocomplete="off" placeholder="Message" required> <button>Send</button>')}`;
}

function bubble(chat: SandboxChat, m: ChatMessage): string {
  const media = [
    m.photo && image(m.photo),
    m.document && download(m.document),
    m.sticker !== undefined && `<p>[sticker ${esc(m.sticker)}]</p>`,
  ];
  const body = m.text ?? m.caption;
  const buttons = (m.inlineKeyboard ?? [])
    .map((row) => {
      const cells = row.map((b) => {
        if (b.url !== undefined)
          return `<a class="button" href="${esc(String(b.url))}" target="_blank">${esc(b.text)} ↗</a>`;
        if (b.callback_data === undefined) return `<span class="button">${esc(b.text)}</span>`;
        return `<form method="post" action="/chat/${chat.id}/press"><input type="hidden" name="messageId" value="${m.id}">
          <input type="hidden" name="data" value="${esc(b.callback_data)}"><button>${esc(b.text)}</button></form>`;
      });
      return `<div class="row">${cells.join('')}</div>`;
    })
    .join('');
  return `<div class="msg ${m.from}"><small>#${m.id}${m.editDate ? ' · edited' : ''}</small>
    ${media.filter(Boolean).join('')}${body !== undefined ? `<p>${esc(body)}</p>` : ''}${buttons}</div>`;
}

const dataUrl = (f: SandboxFile) =>
  `data:${f.mimeType ?? 'application/octet-stream'};base64,${f.bytes.toString('base64')}`;
const image = (f: SandboxFile) =>
  `<img alt="photo" src="${esc(f.bytes.length > 0 ? dataUrl(f) : (f.url ?? ''))}">`;
const download = (f: SandboxFile) =>
  `<p><a download="${esc(f.filename ?? 'file')}" href="${esc(f.bytes.length > 0 ? dataUrl(f) : (f.url ?? ''))}">📄 ${esc(f.filename ?? 'file')}</a></p>`;
const sendForm = (chat: SandboxChat, text: string, inner: string) =>
  `<form method="post" action="/chat/${chat.id}/send">${text ? `<input type="hidden" name="text" value="${esc(text)}">` : ''}${inner}</form>`;

function page(title: string, body: string, chatId?: number): string {
  const reload =
    chatId === undefined
      ? ''
      : `<script>let v;setInterval(async()=>{const n=await (await fetch('/chat/${chatId}/version')).text();
if(v!==undefined&&n!==v&&!document.getElementById('text').value)location.reload();v=n},2000)</script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)}</title><style>
body{font-family:sans-serif;max-width:32rem;margin:1rem auto}.msg{border-radius:.6rem;padding:.4rem .7rem;margin:.4rem 0;max-width:85%}
.bot{background:#eef}.user{background:#dfd;margin-left:auto}.msg p{white-space:pre-wrap;margin:.3rem 0}img{max-width:100%}
.row{display:flex;gap:.3rem;margin-top:.3rem}.row form,.row .button{flex:1}.row button{width:100%}.keyboard{background:#eee;padding:.3rem}
</style></head><body><h1>${esc(title)}</h1>${body}${reload}</body></html>`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}
