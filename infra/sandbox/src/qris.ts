/**
 * QRIS payloads in the EMVCo merchant-presented format: a flat list of TLV fields (2-digit tag, 2-digit
 * length, value), closed by tag 63, a CRC over everything before it. Real enough that banking apps' parsers
 * and our bot tests (which decode the QR image) can check what they got.
 */

export interface QrisFields {
  /** Shown as the merchant name (tag 59); the Pakasir project. */
  merchantName: string;
  /** What the customer pays (tag 54), whole rupiah. */
  amount: number;
  /** Bill number (tag 62, subtag 01). */
  orderId: string;
  city?: string;
  /** Defaults to digits derived from the merchant name, so one project always shows the same id. */
  merchantId?: string;
}

export function buildQrisString(fields: QrisFields): string {
  if (!Number.isSafeInteger(fields.amount) || fields.amount <= 0) {
    throw new RangeError(`QRIS amount must be a positive whole number, got ${fields.amount}`);
  }
  const merchantId = fields.merchantId ?? `ID${digitsOf(fields.merchantName, 13)}`;
  const body =
    tlv('00', '01') + // payload format indicator
    tlv('01', '12') + // 12 = dynamic: one payment of a fixed amount
    tlv(
      '26',
      tlv('00', 'ID.CO.QRIS.WWW') + tlv('01', `9360${digitsOf(merchantId, 15)}`) + tlv('02', merchantId),
    ) +
    tlv('52', '5999') + // merchant category: miscellaneous retail
    tlv('53', '360') + // ISO 4217 rupiah
    tlv('54', String(fields.amount)) +
    tlv('58', 'ID') +
    tlv('59', ascii(fields.merchantName).slice(0, 25)) + // EMV caps the name at 25 characters
    tlv('60', ascii(fields.city ?? 'JAKARTA').slice(0, 15)) +
    tlv('62', tlv('01', fields.orderId)) +
    '6304';
  return body + crc16ccitt(body);
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as 4 upper-case hex digits; EMV's checksum. */
export function crc16ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Top-level TLV fields by tag; parse a nested template (26, 62) by calling it again on its value. */
export function parseEmv(payload: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = 0;
  while (at < payload.length) {
    const tag = payload.slice(at, at + 2);
    const lengthText = payload.slice(at + 2, at + 4);
    if (!/^\d{2}$/.test(tag) || !/^\d{2}$/.test(lengthText)) {
      throw new SyntaxError(`EMV: bad tag or length at position ${at}`);
    }
    const length = Number(lengthText);
    const value = payload.slice(at + 4, at + 4 + length);
    if (value.length !== length) throw new SyntaxError(`EMV: field ${tag} runs past the end`);
    fields[tag] = value;
    at += 4 + length;
  }
  return fields;
}

/** True when the payload ends in a well-formed tag 63 whose CRC matches everything before it. */
export function verifyQrisCrc(payload: string): boolean {
  if (payload.length < 8 || payload.slice(-8, -4) !== '6304') return false;
  try {
    parseEmv(payload);
  } catch {
    return false;
  }
  return crc16ccitt(payload.slice(0, -4)) === payload.slice(-4);
}

function tlv(tag: string, value: string): string {
  // Lengths are two digits, so a field holds at most 99 characters.
  if (value.length > 99) throw new RangeError(`EMV field ${tag} is longer than 99 characters`);
  return tag + String(value.length).padStart(2, '0') + value;
}

/** EMV counts characters and scanners expect plain ASCII in names. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** A stable run of `count` digits derived from `seed` (FNV-1a), for ids a sandbox needs but never checks. */
function digitsOf(seed: string, count: number): string {
  let out = '';
  let hash = 0x811c9dc5;
  for (let round = 0; out.length < count; round++) {
    for (const ch of `${seed}#${round}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += String(hash).padStart(10, '0');
  }
  return out.slice(0, count);
}
