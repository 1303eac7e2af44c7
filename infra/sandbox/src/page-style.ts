/**
 * The look both sandboxes' pages share, after Telegram's light theme (its wallpaper, bubbles and blue),
 * so the Telegram chat and Pakasir's pay page read as one product. Inline, no fonts or images fetched:
 * the sandbox runs offline.
 */
export const BASE_CSS = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font:15px/1.35 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#000;
  background:#dbddbb linear-gradient(135deg,#dbddbb 0%,#6ba587 35%,#d5d88d 70%,#88b884 100%) fixed}
a{color:#3390ec}
.app{max-width:44rem;height:100%;margin:0 auto;display:flex;flex-direction:column;background:transparent}
.topbar{display:flex;align-items:center;gap:.75rem;padding:.5rem 1rem;background:#fff;
  box-shadow:0 1px 2px rgba(0,0,0,.12);min-height:3.5rem;z-index:2}
.topbar .back{font-size:1.5rem;text-decoration:none;color:#707579;padding:0 .25rem}
.topbar .who{flex:1;min-width:0}
.topbar .name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.topbar .status{font-size:.85rem;color:#707579}
.avatar{width:2.6rem;height:2.6rem;border-radius:50%;flex:none;display:flex;align-items:center;
  justify-content:center;color:#fff;font-weight:600;font-size:1.1rem;
  background:linear-gradient(#72d5fd,#2a9ef1)}
.avatar.user{background:linear-gradient(#a0de7e,#54cb68)}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 2px rgba(16,35,47,.15);padding:1rem}
.btn{display:inline-block;border:0;border-radius:10px;background:#3390ec;color:#fff;font:inherit;
  font-weight:600;padding:.7rem 1.2rem;cursor:pointer;text-decoration:none;text-align:center}
.btn:hover{background:#2b7fd4}
.btn.light{background:#fff;color:#3390ec;box-shadow:0 1px 2px rgba(16,35,47,.15)}
.muted{color:#707579;font-size:.85rem}
`;

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/** A whole page: title, the shared look plus the page's own CSS, and its body. */
export function htmlPage(options: { title: string; lang: string; css?: string; body: string }): string {
  return `<!doctype html>
<html lang="${options.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(options.title)}</title><style>${BASE_CSS}${options.css ?? ''}</style></head>
<body>${options.body}</body></html>`;
}
