import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SA, SEARCH_ATTRIBUTES } from '../src';

const ROOT = path.resolve(__dirname, '../../..');
/** The list as TypeScript reads it, `Name=Type` as the temporal CLI takes it. */
const fromTypeScript = SEARCH_ATTRIBUTES.map(({ name, type }) => `${name}=${type}`);

describe('the search attributes are listed once (search-attributes.json)', () => {
  it('gives every listed attribute a typed key, and no other', () => {
    expect(Object.values(SA).map((key) => key.name)).toEqual(SEARCH_ATTRIBUTES.map((a) => a.name));
    expect(fromTypeScript).toEqual([
      'InvoiceId=Keyword',
      'CustomerId=Keyword',
      'OrderStatus=Keyword',
      'PaymentMethod=Keyword',
      'AmountIdr=Int',
    ]);
  });

  it('is the list infra/temporal/temporal.sh registers on the dev server', () => {
    const printed = execFileSync(
      'bash',
      [path.join(ROOT, 'infra/temporal/temporal.sh'), 'search-attributes'],
      {
        encoding: 'utf8',
      },
    );
    expect(printed.trim().split('\n')).toEqual(fromTypeScript);
  });

  it("is the list docker-compose's temporal-setup registers", () => {
    // Compose mounts the list where the setup script reads it by default.
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`./${SOURCE}:/etc/quickcart/search-attributes.json:ro`);
    // The setup script itself, against a `temporal` that answers like a fresh server and records
    // each attribute it is asked to create.
    const bin = mkdtempSync(path.join(tmpdir(), 'qc-temporal-'));
    writeFileSync(
      path.join(bin, 'temporal'),
      [
        '#!/bin/sh',
        'case "$2 $3" in',
        '  "cluster health") echo SERVING ;;',
        '  "search-attribute create") echo "$7=$9" >> "$CREATED" ;;',
        'esac',
        'exit 0',
      ].join('\n'),
      { mode: 0o755 },
    );
    const created = path.join(bin, 'created');
    execFileSync('sh', [path.join(ROOT, 'infra/temporal/compose/namespace.sh')], {
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        SEARCH_ATTRIBUTES_FILE: path.join(ROOT, SOURCE),
        CREATED: created,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    expect(readFileSync(created, 'utf8').trim().split('\n')).toEqual(fromTypeScript);
    rmSync(bin, { recursive: true, force: true });
  });
});

const SOURCE = 'packages/workflow-api/src/search-attributes.json';
