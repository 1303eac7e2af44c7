import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INVARIANTS } from './invariants';
import type { Violation } from './run-state';
import type { Tally } from './settings';

/** The figures of one run: a table for people, `latest.json` with one key per figure for tools. */
export function buildReport(
  tally: Tally,
  violations: Violation[],
  meta: Record<string, unknown>,
): { json: Record<string, unknown>; table: string } {
  const counts = Object.fromEntries([...tally.counts].sort(([a], [b]) => a.localeCompare(b)));
  const byInvariant = Object.fromEntries(
    INVARIANTS.map((inv) => [`violations_${inv}`, violations.filter((v) => v.invariant === inv).length]),
  );
  const json = {
    ...meta,
    ...counts,
    purchases: tally.get('purchases'),
    deposits: tally.get('deposits'),
    violations: violations.length,
    ...byInvariant,
    violation_list: violations,
  };
  const row = (label: string, value: unknown) => `  ${label.padEnd(44)} ${String(value).padStart(8)}`;
  const entries = Object.entries(counts);
  const out = [
    'Faults injected, by kind',
    ...entries.filter(([k]) => k.startsWith('faults_')).map(([k, n]) => row(k.slice('faults_'.length), n)),
    '',
    'Orders, payments, customers, hostile updates',
    ...entries.filter(([k]) => !k.startsWith('faults_')).map(([k, n]) => row(k, n)),
    '',
    'Invariants checked',
    ...INVARIANTS.map((inv) => {
      const n = byInvariant[`violations_${inv}`];
      return row(inv, n === 0 ? 'ok' : `${n} VIOLATED`);
    }),
  ];
  if (violations.length > 0) {
    out.push('', `Violations (${violations.length})`);
    for (const v of violations.slice(0, 50)) out.push(`  ${v.invariant}  ${v.subject}: ${v.detail}`);
    if (violations.length > 50) out.push(`  ... and ${violations.length - 50} more in latest.json`);
  }
  return { json, table: out.join('\n') };
}

export function writeReport(file: string, json: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}
