import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { round } from './stats';

interface Row {
  key: string;
  label: string;
  value: number | string | null;
  target?: { text: string; met: boolean };
}

/** The figures of one run: printed as a table, written as JSON with one key per figure. */
export class Report {
  private readonly rows: Row[] = [];
  private readonly sections: { title: string; from: number }[] = [];
  readonly meta: Record<string, unknown> = {};

  section(title: string): void {
    this.sections.push({ title, from: this.rows.length });
  }

  /** `key` carries its unit (…_ms, …_per_s, …_s, …_mb); `digits` rounds numbers for both outputs. */
  add(key: string, label: string, value: number | string, digits = 1): void {
    this.rows.push({ key, label, value: typeof value === 'number' ? round(value, digits) : value });
  }

  /** A figure with a target: reported against it, never failed on it. */
  target(
    key: string,
    label: string,
    value: number,
    text: string,
    met: (v: number) => boolean,
    digits?: number,
  ): void {
    this.rows.push({
      key,
      label,
      value: round(value, digits),
      target: { text, met: Number.isFinite(value) && met(value) },
    });
  }

  json(): Record<string, unknown> {
    return { ...this.meta, ...Object.fromEntries(this.rows.map((r) => [r.key, r.value])) };
  }

  write(file: string): void {
    writeJson(file, this.json());
  }

  /**
   * Several runs' figures in one table, a column each, rows in the order of the run with the most
   * (a run with copies has rows of its own, e.g. each copy's memory); `—` where a run has no such row.
   */
  static sideBySide(columns: { title: string; report: Report }[]): string {
    const base = [...columns].sort((a, b) => b.report.rows.length - a.report.rows.length)[0]!.report;
    const keys = new Set(base.rows.map((r) => r.key));
    const rows = [...base.rows, ...columns.flatMap((c) => c.report.rows.filter((r) => !keys.has(r.key)))];
    const width = Math.max(...rows.map((r) => r.label.length), 20);
    const cell = (v: Row['value'] | undefined) => (v === null || v === undefined ? '—' : String(v));
    const out = [`  ${''.padEnd(width)}  ${columns.map((c) => c.title.padStart(12)).join('')}`];
    rows.forEach((r, i) => {
      const section = base.sections.find((s) => s.from === i);
      if (section) out.push('', section.title);
      const values = columns.map((c) => cell(c.report.rows.find((x) => x.key === r.key)?.value));
      const target = r.target ? `  (target ${r.target.text})` : '';
      out.push(`  ${r.label.padEnd(width)}  ${values.map((v) => v.padStart(12)).join('')}${target}`);
    });
    return out.join('\n');
  }

  table(): string {
    const width = Math.max(...this.rows.map((r) => r.label.length), 20);
    const out: string[] = [];
    this.rows.forEach((r, i) => {
      const section = this.sections.find((s) => s.from === i);
      if (section) out.push('', section.title);
      const value = r.value === null ? '—' : String(r.value);
      const target = r.target ? `  ${r.target.met ? 'met   ' : 'MISSED'} (target ${r.target.text})` : '';
      out.push(`  ${r.label.padEnd(width)}  ${value.padStart(10)}${target}`);
    });
    return out.join('\n');
  }
}

export function writeJson(file: string, json: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}
