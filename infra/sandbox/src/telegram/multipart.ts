import type { Readable } from 'node:stream';
import { BotApiError } from './api-error';

export interface Upload {
  field: string;
  filename: string;
  contentType?: string;
  bytes: Buffer;
}

export interface FormData {
  fields: Record<string, string>;
  files: Map<string, Upload>;
}

/** Telegram takes documents up to 50 MB from bots; anything larger is a bug worth a loud refusal. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export async function readBody(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A small multipart/form-data reader: uploads are a QR PNG or a receipt, so the whole body in memory is
 * fine. Written by hand because no multipart package is among the sandbox's dependencies. It accepts
 * telegraf's form (headers as `name:value` without a space, no CRLF after the closing boundary).
 */
export function parseMultipart(body: Buffer, contentType: string): FormData {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new BotApiError(400, 'Bad Request: multipart boundary is missing');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form: FormData = { fields: {}, files: new Map() };
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const partStart = at + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', partStart);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), partStart);
    if (headersEnd < 0 || next < 0 || headersEnd > next)
      throw new BotApiError(400, 'Bad Request: malformed multipart body');
    const headers = parseHeaders(body.subarray(partStart, headersEnd).toString('utf8'));
    const bytes = body.subarray(headersEnd + 4, next);
    const disposition = headers.get('content-disposition') ?? '';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name !== undefined) {
      if (filename === undefined) form.fields[name] = bytes.toString('utf8');
      else
        form.files.set(name, {
          field: name,
          filename,
          contentType: headers.get('content-type'),
          bytes: Buffer.from(bytes),
        });
    }
    at = next + 2;
  }
  return form;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function param(header: string, key: string): string | undefined {
  const match =
    new RegExp(`(?:^|;)\\s*${key}="([^"]*)"`, 'i').exec(header) ??
    new RegExp(`(?:^|;)\\s*${key}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1];
}
