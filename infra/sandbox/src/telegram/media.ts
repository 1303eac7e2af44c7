import { badRequest } from './api-error';
import type { ChatStore } from './chat-store';
import type { SandboxFile } from './model';
import type { BotApiCall } from './params';

export type FileKind = 'photo' | 'document' | 'sticker';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
};

/**
 * The file an InputFile field names: an upload (multipart, by field name or `attach://`), a file_id
 * the sandbox handed out, or an http(s) URL, which is recorded but never fetched (the sandbox is offline).
 * Stickers take any id, so a bot's real sticker ids work here.
 */
export function resolveFile(call: BotApiCall, field: string, kind: FileKind, store: ChatStore): SandboxFile {
  const value = call.params[field];
  const attached = typeof value === 'string' && value.startsWith('attach://') ? value.slice(9) : undefined;
  const upload = call.files.get(attached ?? field);
  if (upload) {
    const size = kind === 'photo' ? imageSize(upload.bytes) : undefined;
    // Telegram re-encodes photos and refuses bytes that are no image at all.
    if (kind === 'photo' && !size) throw badRequest('IMAGE_PROCESS_FAILED');
    const extension = upload.filename.split('.').pop()?.toLowerCase() ?? '';
    const given =
      upload.contentType && upload.contentType !== 'application/octet-stream'
        ? upload.contentType
        : undefined;
    const mimeType = given ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
    return store.storeFile({ bytes: upload.bytes, filename: upload.filename, mimeType, ...size }, kind);
  }
  if (attached !== undefined) throw badRequest(`file "${value}" was not found in the request`);
  if (typeof value !== 'string' || value === '') throw badRequest(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value)) {
    const filename = decodeURIComponent(new URL(value).pathname.split('/').pop() ?? '') || undefined;
    return store.storeFile({ bytes: Buffer.alloc(0), url: value, filename }, kind);
  }
  const known = store.file(value);
  if (known) return known;
  if (kind === 'sticker') return { fileId: value, fileUniqueId: value.slice(-12), bytes: Buffer.alloc(0) };
  throw badRequest('wrong file identifier/HTTP URL specified');
}

/** Width and height of a PNG, GIF, JPEG or WebP; undefined when the bytes are none of these. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.subarray(0, 4).toString('latin1') === 'GIF8') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return { width: 512, height: 512 };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return jpegSize(bytes);
  return undefined;
}

function jpegSize(bytes: Buffer): { width: number; height: number } {
  // Walk the segments to the first start-of-frame marker (SOF0..SOF15 less DHT, JPG and DAC).
  for (let at = 2; at + 9 < bytes.length;) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1] as number;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return { width: 512, height: 512 };
}
