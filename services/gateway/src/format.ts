import { formatRupiah } from '@quickcart/kit';

export const rp = formatRupiah;

/** Telegram HTML needs these three escaped in any text we did not write ourselves. */
export const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A profile field, or the copy's word for "none" ("Tidak ada", "None") when it is not set. */
export const orNone = (value: string | null | undefined, none: string): string => (value ? esc(value) : none);

/** "14:05 WIB": Indonesia's western time, UTC+7, where the shop's customers are. */
export function wib(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3_600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} WIB`;
}

export function wibDate(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
