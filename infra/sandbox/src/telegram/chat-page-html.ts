import { esc, htmlPage } from '../page-style';
import type { ChatSummary } from './sandbox-core';

const CHAT_CSS = `
.list{flex:1;overflow:auto;background:#fff}
.list a.row{display:flex;gap:.75rem;align-items:center;padding:.55rem 1rem;color:inherit;text-decoration:none}
.list a.row:hover{background:#f4f4f5}
.list .row .name{font-weight:600}
.list .empty{padding:2rem 1rem;text-align:center}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.75rem 1rem;background:#fff;
  border-top:1px solid #e7e7e7}
.actions input{font:inherit;padding:.6rem .8rem;border:1px solid #dadce0;border-radius:10px;width:9rem}
.messages{flex:1;overflow-y:auto;padding:.75rem 1rem;display:flex;flex-direction:column;gap:.35rem}
.day{align-self:center;background:rgba(0,0,0,.22);color:#fff;font-size:.8rem;padding:.15rem .6rem;
  border-radius:1rem;margin:.3rem 0}
.msg{max-width:min(85%,30rem);display:flex;flex-direction:column;gap:.25rem}
.msg.bot{align-self:flex-start}.msg.user{align-self:flex-end}
.bubble{position:relative;padding:.4rem .6rem .35rem;border-radius:12px;background:#fff;
  box-shadow:0 1px 2px rgba(16,35,47,.15);overflow-wrap:anywhere}
.bot .bubble{border-bottom-left-radius:4px}.user .bubble{background:#eeffde;border-bottom-right-radius:4px}
.bubble .text{white-space:pre-wrap}
.bubble .time{float:right;margin:.45rem 0 -.2rem .6rem;font-size:.72rem;color:#8a8a8a;white-space:nowrap}
.user .bubble .time{color:#4fae4e}
.bubble.media{padding:.25rem}.bubble.media .text{padding:.15rem .35rem}
.bubble img.photo{display:block;max-width:100%;border-radius:9px;background:#eee}
.bubble .quote{border-left:3px solid #3390ec;background:rgba(51,144,236,.08);border-radius:4px;
  padding:.15rem .45rem;margin-bottom:.25rem;font-size:.85rem;color:#3390ec;white-space:nowrap;
  overflow:hidden;text-overflow:ellipsis}
.bubble .fwd{color:#3390ec;font-size:.85rem}
.doc{display:flex;gap:.6rem;align-items:center;color:inherit;text-decoration:none;padding:.2rem .1rem}
.doc .icon{width:2.8rem;height:2.8rem;border-radius:50%;background:#3390ec;color:#fff;display:flex;
  align-items:center;justify-content:center;font-size:1.3rem;flex:none}
.doc .fname{font-weight:600;color:#000}.doc .size{font-size:.8rem;color:#707579}
.sticker img{width:10rem;height:10rem;object-fit:contain}.sticker .emoji{font-size:6rem;line-height:1}
.sticker .time{align-self:flex-start;background:rgba(0,0,0,.22);color:#fff;font-size:.72rem;
  border-radius:1rem;padding:0 .45rem}
.inline{display:flex;flex-direction:column;gap:.25rem}
.inline .krow{display:flex;gap:.25rem}
.inline button,.inline a{flex:1;border:0;border-radius:8px;background:rgba(34,60,30,.35);color:#fff;
  font:inherit;font-size:.9rem;font-weight:500;padding:.5rem .4rem;cursor:pointer;text-align:center;
  text-decoration:none;backdrop-filter:blur(6px)}
.inline button:hover,.inline a:hover{background:rgba(34,60,30,.5)}
.inline button.pending{opacity:.6}
.tg-spoiler{background:#b8b8b8;color:transparent;border-radius:3px;cursor:pointer}
.tg-spoiler.shown{background:none;color:inherit}
.bubble code,.bubble pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;color:#d63384}
.bubble pre{background:#f4f4f5;padding:.4rem;border-radius:6px;color:#000;white-space:pre-wrap}
.bubble blockquote{margin:.2rem 0;padding-left:.5rem;border-left:3px solid #3390ec}
.composer{background:#fff;padding:.45rem .6rem;display:flex;gap:.45rem;align-items:flex-end;
  box-shadow:0 -1px 2px rgba(0,0,0,.06);position:relative}
.composer textarea{flex:1;resize:none;border:0;outline:0;font:inherit;padding:.55rem .3rem;
  max-height:8rem;background:transparent}
.round{flex:none;width:2.6rem;height:2.6rem;border-radius:50%;border:0;background:#3390ec;color:#fff;
  font-size:1.15rem;cursor:pointer}
.round.plain{background:transparent;color:#707579;font-size:1.4rem}
.menu-btn{flex:none;border:0;border-radius:1.2rem;background:#3390ec;color:#fff;font:inherit;
  font-weight:600;padding:.5rem .8rem;cursor:pointer}
.popup{position:absolute;left:.6rem;bottom:3.4rem;background:#fff;border-radius:12px;min-width:16rem;
  max-height:50vh;overflow:auto;box-shadow:0 4px 16px rgba(0,0,0,.25);padding:.3rem 0}
.popup button{display:flex;width:100%;gap:.6rem;border:0;background:none;font:inherit;padding:.5rem 1rem;
  cursor:pointer;text-align:left}
.popup button:hover{background:#f4f4f5}.popup .cmd{color:#3390ec;font-weight:600}
.keyboard{background:#f0f2f5;padding:.4rem;display:flex;flex-direction:column;gap:.35rem}
.keyboard .krow{display:flex;gap:.35rem}
.keyboard button{flex:1;border:0;border-radius:8px;background:#fff;font:inherit;padding:.7rem .4rem;
  box-shadow:0 1px 1px rgba(0,0,0,.15);cursor:pointer}
.keyboard button:hover{background:#e9f3fd}
.toast{position:fixed;top:4.5rem;left:50%;transform:translateX(-50%);background:rgba(0,0,0,.75);
  color:#fff;padding:.6rem 1rem;border-radius:10px;max-width:90%;z-index:5;white-space:pre-wrap}
.toast.alert{top:40%;background:#fff;color:#000;box-shadow:0 4px 24px rgba(0,0,0,.3)}
.banner{background:#fff3cd;text-align:center;padding:.35rem;font-size:.85rem}
.hidden{display:none!important}
#me{max-width:40%;font-size:.8rem;text-align:right;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

const initial = (name: string) => esc([...name.trim()][0]?.toUpperCase() ?? '?');

/** `/`: every chat, newest person last, and the two ways in: a new customer, or a chosen id. */
export function chatListPage(chats: ChatSummary[], botName: string): string {
  const rows = chats
    .map((c) => {
      const name = c.title ?? c.firstName ?? String(c.id);
      const sub = [
        c.type === 'private' ? (c.username ? `@${c.username}` : `user ${c.id}`) : `${c.type} ${c.id}`,
        `${c.messageCount} messages`,
        c.blocked ? 'blocked the bot' : '',
      ].filter(Boolean);
      return `<a class="row" href="/chat/${c.id}"><span class="avatar${c.type === 'private' ? ' user' : ''}">${initial(name)}</span>
        <span><span class="name">${esc(name)}</span><br><span class="muted">${esc(sub.join(' · '))}</span></span></a>`;
    })
    .join('');
  return htmlPage({
    title: 'Telegram Sandbox',
    lang: 'en',
    css: CHAT_CSS,
    body: `<div class="app"><header class="topbar"><span class="avatar">${initial(botName)}</span>
      <div class="who"><div class="name">Telegram Sandbox</div><div class="status">chats with ${esc(botName)}</div></div></header>
      <nav class="list">${rows || '<p class="empty muted">No chats yet: open one below.</p>'}</nav>
      <div class="actions">
        <form method="post" action="/chat/new"><button class="btn" id="new-customer">New customer</button></form>
        <form method="post" action="/chat" class="actions" style="padding:0;border:0">
          <input name="id" type="number" min="1" placeholder="user id" required>
          <input name="firstName" placeholder="first name (optional)">
          <button class="btn light">Open chat</button>
        </form>
      </div></div>`,
  });
}

/** `/chat/<id>`: the shell; the script draws the chat from `/chat/<id>/state` and long-polls it. */
export function chatPage(chatId: number, title: string): string {
  return htmlPage({
    title: `${title} · Telegram Sandbox`,
    lang: 'en',
    css: CHAT_CSS,
    body: `<div class="app" data-chat-id="${chatId}">
  <header class="topbar"><a class="back" href="/" title="All chats">←</a><span class="avatar" id="bot-avatar"></span>
    <div class="who"><div class="name" id="bot-name"></div><div class="status">bot</div></div>
    <div class="muted" id="me"></div></header>
  <div class="banner hidden" id="banner"></div>
  <main class="messages" id="messages"></main>
  <form class="composer" id="composer" autocomplete="off">
    <button type="button" class="menu-btn hidden" id="menu-btn">☰ Menu</button>
    <div class="popup hidden" id="menu"></div>
    <textarea id="text" rows="1" placeholder="Message" autofocus></textarea>
    <button type="button" class="round plain hidden" id="kb-toggle" title="Keyboard">⌨</button>
    <button class="round" id="send" title="Send">➤</button>
  </form>
  <div class="keyboard hidden" id="keyboard"></div>
  <div class="toast hidden" id="toast"></div>
</div><script>${CHAT_SCRIPT}</script>`,
  });
}

/**
 * The page's script: plain DOM, no libraries. Text from the bot goes in as textContent; only `html`,
 * which the sandbox rebuilt from Telegram's allowed tags (formatting.ts), is set as markup.
 */
const CHAT_SCRIPT = `
'use strict';
const app = document.querySelector('.app');
const chatId = app.dataset.chatId;
const $ = (id) => document.getElementById(id);
const list = $('messages'), text = $('text');
let version = -1, seenAnswers = null, keyboardHidden = false, lastKeyboard = '', drawn = new Map();

function el(tag, cls, content) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (content !== undefined) e.textContent = content;
  return e;
}
const time = (unix) => new Date(unix * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const size = (n) => n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';

async function call(path, body) {
  const res = await fetch('/chat/' + chatId + path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) toast((await res.json().catch(() => ({}))).message || 'Failed: ' + res.status, false);
}

function bodyOf(m) {
  const t = el('div', 'text');
  if (m.html !== undefined) t.innerHTML = m.html; else t.textContent = m.text ?? m.caption ?? '';
  return t;
}

function renderMessage(m, byId) {
  const box = el('div', 'msg ' + m.from);
  box.dataset.id = m.id;
  const stamp = el('span', 'time', (m.edited ? 'edited ' : '') + time(m.date) + (m.from === 'user' ? ' ✓✓' : ''));
  if (m.sticker) {
    box.classList.add('sticker');
    if (m.sticker.url) { const img = el('img'); img.src = m.sticker.url; img.alt = 'sticker'; box.append(img); }
    else box.append(el('div', 'emoji', m.sticker.emoji));
    box.append(stamp);
  } else {
    const bubble = el('div', 'bubble' + (m.photo ? ' media' : ''));
    if (m.forwarded) bubble.append(el('div', 'fwd', 'Forwarded message'));
    const quoted = m.replyToMessageId !== undefined ? byId.get(m.replyToMessageId) : undefined;
    if (m.replyToMessageId !== undefined)
      bubble.append(el('div', 'quote', quoted ? (quoted.text ?? quoted.caption ?? 'Media') : 'Deleted message'));
    if (m.photo) {
      const img = el('img', 'photo'); img.alt = 'photo'; img.src = m.photo.url;
      if (m.photo.width && m.photo.height) { img.width = m.photo.width; img.style.aspectRatio = m.photo.width + '/' + m.photo.height; }
      img.addEventListener('load', stickToBottom);
      bubble.append(img);
    }
    if (m.document) {
      const a = el('a', 'doc'); a.href = m.document.url; a.download = m.document.filename;
      const info = el('span'); info.append(el('div', 'fname', m.document.filename), el('div', 'size', size(m.document.size)));
      a.append(el('span', 'icon', '⬇'), info);
      bubble.append(a);
    }
    const body = bodyOf(m);
    if (body.textContent !== '' || !m.photo) { body.append(stamp); bubble.append(body); }
    else { stamp.style.margin = '.2rem .3rem 0'; bubble.append(stamp); }
    box.append(bubble);
  }
  if (m.inlineKeyboard) {
    const kb = el('div', 'inline');
    for (const row of m.inlineKeyboard) {
      const r = el('div', 'krow');
      for (const b of row) {
        if (b.url !== undefined) {
          const a = el('a', '', b.text + ' ↗'); a.href = b.url; a.target = '_blank'; a.rel = 'noopener';
          r.append(a);
        } else {
          const button = el('button', '', b.text); button.type = 'button';
          if (b.callback_data !== undefined)
            button.addEventListener('click', () => { button.classList.add('pending'); call('/press', { messageId: m.id, data: b.callback_data }); });
          r.append(button);
        }
      }
      kb.append(r);
    }
    box.append(kb);
  }
  return box;
}

function atBottom() { return list.scrollHeight - list.scrollTop - list.clientHeight < 60; }
let follow = true;
function stickToBottom() { if (follow) list.scrollTop = list.scrollHeight; }
list.addEventListener('scroll', () => { follow = atBottom(); });

function render(s) {
  document.title = (s.chat.title || s.chat.id) + ' · Telegram Sandbox';
  $('bot-name').textContent = s.chat.type === 'private' ? s.bot.firstName : s.chat.title;
  $('bot-avatar').textContent = ($('bot-name').textContent.trim()[0] || '?').toUpperCase();
  $('me').textContent = s.chat.type === 'private' ? 'as ' + s.chat.title : s.chat.type;
  $('me').title = 'chat ' + s.chat.id;
  const byId = new Map(s.messages.map((m) => [m.id, m]));
  const wasFollowing = follow || atBottom();
  // Unchanged messages keep their nodes: no image reloads, a revealed spoiler stays revealed, and a
  // button under the pointer is not swapped out mid-click.
  const next = [], nodes = new Map();
  let day = '';
  for (const m of s.messages) {
    const d = new Date(m.date * 1000).toLocaleDateString([], { day: 'numeric', month: 'long' });
    if (d !== day) { next.push(drawn.get('day ' + d) || el('div', 'day', d)); nodes.set('day ' + d, next.at(-1)); day = d; }
    const quoted = byId.get(m.replyToMessageId);
    const key = JSON.stringify(m) + (quoted ? quoted.text ?? quoted.caption ?? '' : '');
    const old = drawn.get(m.id);
    const node = old && old.key === key ? old.node : renderMessage(m, byId);
    nodes.set(m.id, { key, node });
    next.push(node);
  }
  if (s.messages.length === 0) next.push(el('div', 'day', s.chat.writable ? 'No messages yet. Send /start.' : 'No messages yet.'));
  drawn = nodes;
  const same = next.length === list.children.length && next.every((n, i) => list.children[i] === n);
  if (!same) list.replaceChildren(...next);
  follow = wasFollowing; stickToBottom();

  $('composer').classList.toggle('hidden', !s.chat.writable);
  const banner = $('banner');
  banner.textContent = s.chat.blocked ? 'You blocked this bot. Sending a message unblocks it.' : '';
  banner.classList.toggle('hidden', !s.chat.blocked);

  const menu = $('menu');
  $('menu-btn').classList.toggle('hidden', s.commands.length === 0);
  menu.replaceChildren(...s.commands.map((c) => {
    const b = el('button'); b.type = 'button';
    b.append(el('span', 'cmd', '/' + c.command), el('span', 'muted', c.description));
    b.addEventListener('click', () => { menu.classList.add('hidden'); send('/' + c.command); });
    return b;
  }));

  const keyboard = $('keyboard');
  const shape = JSON.stringify(s.replyKeyboard);
  if (shape !== lastKeyboard) { keyboardHidden = false; lastKeyboard = shape; }
  keyboard.replaceChildren(...(s.replyKeyboard || []).map((row) => {
    const r = el('div', 'krow');
    for (const label of row) {
      const b = el('button', '', label); b.type = 'button';
      b.addEventListener('click', () => send(label));
      r.append(b);
    }
    return r;
  }));
  keyboard.classList.toggle('hidden', !s.replyKeyboard || keyboardHidden || !s.chat.writable);
  $('kb-toggle').classList.toggle('hidden', !s.replyKeyboard);

  const fresh = s.answers.filter((a) => seenAnswers !== null && !seenAnswers.has(a.queryId) && a.text);
  seenAnswers = new Set(s.answers.map((a) => a.queryId));
  for (const a of fresh) toast(a.text, a.showAlert);
}

let toastTimer;
function toast(message, alert) {
  const t = $('toast');
  t.textContent = message; t.className = 'toast' + (alert ? ' alert' : '');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.add('hidden'), alert ? 4000 : 2500);
}

function send(value) {
  const message = value.trim();
  if (message === '') return;
  follow = true;
  call('/send', { text: message });
}

$('composer').addEventListener('submit', (e) => { e.preventDefault(); send(text.value); text.value = ''; text.focus(); });
text.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
});
$('menu-btn').addEventListener('click', () => $('menu').classList.toggle('hidden'));
$('kb-toggle').addEventListener('click', () => { keyboardHidden = !keyboardHidden; $('keyboard').classList.toggle('hidden', keyboardHidden); });
list.addEventListener('click', (e) => { if (e.target.classList.contains('tg-spoiler')) e.target.classList.add('shown'); });

(async function poll() {
  for (;;) {
    try {
      const res = await fetch('/chat/' + chatId + '/state?since=' + version);
      if (!res.ok) throw new Error(String(res.status));
      const s = await res.json();
      if (s.version !== version) { render(s); version = s.version; app.dataset.version = String(version); }
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
})();
`;
