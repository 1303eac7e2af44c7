import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config';
import { temporalConnectionOptions, temporalSettings } from './temporal-connection';

const schema = z.object(temporalSettings);
const optionsFrom = (env: NodeJS.ProcessEnv) => temporalConnectionOptions(loadConfig(schema, env));

describe('the Temporal connection a process builds from its settings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qc-temporal-tls-'));
  const cert = path.join(dir, 'client.pem');
  const key = path.join(dir, 'client.key');
  const ca = path.join(dir, 'ca.pem');
  writeFileSync(cert, 'CERTIFICATE');
  writeFileSync(key, 'PRIVATE KEY');
  writeFileSync(ca, 'CA');

  it('is a plain connection to the local server when nothing is set', () => {
    expect(optionsFrom({})).toEqual({ address: '127.0.0.1:7233' });
    expect(loadConfig(schema, {}).TEMPORAL_NAMESPACE).toBe('default');
  });

  it('treats empty values (compose passes ${VAR:-}) as unset', () => {
    expect(
      optionsFrom({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_API_KEY: '', TEMPORAL_TLS_CERT: ' ' }),
    ).toEqual({ address: 'temporal:7233' });
  });

  it('sends a Temporal Cloud API key over TLS', () => {
    expect(
      optionsFrom({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'key-123' }),
    ).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', apiKey: 'key-123', tls: {} });
  });

  it('reads an mTLS client certificate pair, a private CA and a server name from their files', () => {
    const options = optionsFrom({
      TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
      TEMPORAL_TLS_CERT: cert,
      TEMPORAL_TLS_KEY: key,
      TEMPORAL_TLS_CA: ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(options.address).toBe('shop.a1b2c.tmprl.cloud:7233');
    expect(options.apiKey).toBeUndefined();
    expect(options.tls?.clientCertPair?.crt.toString()).toBe('CERTIFICATE');
    expect(options.tls?.clientCertPair?.key.toString()).toBe('PRIVATE KEY');
    expect(options.tls?.serverRootCACertificate?.toString()).toBe('CA');
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
  });

  it('refuses half a certificate pair, naming the missing variable', () => {
    expect(() => optionsFrom({ TEMPORAL_TLS_CERT: cert })).toThrow(ConfigError);
    expect(() => optionsFrom({ TEMPORAL_TLS_CERT: cert })).toThrow(
      /TEMPORAL_TLS_KEY: required with TEMPORAL_TLS_CERT/,
    );
    expect(() => optionsFrom({ TEMPORAL_TLS_KEY: key })).toThrow(
      /TEMPORAL_TLS_CERT: required with TEMPORAL_TLS_KEY/,
    );
  });

  it('refuses a certificate file it cannot read, naming the variable', () => {
    expect(() =>
      optionsFrom({ TEMPORAL_TLS_CERT: path.join(dir, 'missing.pem'), TEMPORAL_TLS_KEY: key }),
    ).toThrow(/TEMPORAL_TLS_CERT: cannot read .*missing\.pem/);
  });
});
