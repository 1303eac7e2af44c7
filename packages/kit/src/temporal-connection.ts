import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config';

/** An unset variable and an empty one (compose's `${VAR:-}`) mean the same: not given. */
const optional = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/**
 * Where Temporal is and how to prove who we are, for every process that connects (orders, the worker):
 * a local server needs only its address; Temporal Cloud wants the namespace's address and either an
 * API key or an mTLS client certificate (docs/operations.md §3.3).
 */
export const temporalSettings = {
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Temporal Cloud API key; turns TLS on (Cloud accepts nothing else). */
  TEMPORAL_API_KEY: optional,
  /** mTLS: files holding the client certificate and its private key (PEM), both or neither. */
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  /** A private CA for a self-hosted server with TLS; Cloud's certificate needs none. */
  TEMPORAL_TLS_CA: optional,
  TEMPORAL_TLS_SERVER_NAME: optional,
};

export type TemporalSettings = {
  [K in keyof typeof temporalSettings]: z.output<(typeof temporalSettings)[K]>;
};

/** What both Connection.connect (client) and NativeConnection.connect (worker) take. */
export interface TemporalConnectionOptions {
  address: string;
  apiKey?: string;
  tls?: {
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
    serverNameOverride?: string;
  };
}

/**
 * The connection options the settings describe, with the certificate files read now: a missing file or
 * half a certificate pair stops the process at start, naming the variable, not at its first call.
 */
export function temporalConnectionOptions(
  s: Pick<TemporalSettings, Exclude<keyof TemporalSettings, 'TEMPORAL_NAMESPACE'>>,
  readFile: (path: string) => Buffer = readFileSync,
): TemporalConnectionOptions {
  const read = (name: keyof TemporalSettings, path: string): Buffer => {
    try {
      return readFile(path);
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: cannot read ${path} (${(error as Error).message})`,
      );
    }
  };
  if (!!s.TEMPORAL_TLS_CERT !== !!s.TEMPORAL_TLS_KEY) {
    const missing = s.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    throw new ConfigError(
      `Invalid configuration:\n  ${missing}: required with ${missing === 'TEMPORAL_TLS_KEY' ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'} (an mTLS client certificate needs both files)`,
    );
  }
  const tls: NonNullable<TemporalConnectionOptions['tls']> = {};
  if (s.TEMPORAL_TLS_CERT && s.TEMPORAL_TLS_KEY)
    tls.clientCertPair = {
      crt: read('TEMPORAL_TLS_CERT', s.TEMPORAL_TLS_CERT),
      key: read('TEMPORAL_TLS_KEY', s.TEMPORAL_TLS_KEY),
    };
  if (s.TEMPORAL_TLS_CA) tls.serverRootCACertificate = read('TEMPORAL_TLS_CA', s.TEMPORAL_TLS_CA);
  if (s.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = s.TEMPORAL_TLS_SERVER_NAME;
  const secure = !!s.TEMPORAL_API_KEY || Object.keys(tls).length > 0;
  return {
    address: s.TEMPORAL_ADDRESS,
    ...(s.TEMPORAL_API_KEY && { apiKey: s.TEMPORAL_API_KEY }),
    ...(secure && { tls }),
  };
}
