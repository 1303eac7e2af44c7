import { internalAuthHeader } from '@quickcart/kit';

/** One scrape: each sample's value by `name{labels}`, and every metric family it declared. */
export interface Scrape {
  samples: { name: string; labels: Record<string, string>; value: number }[];
  /** Names from `# TYPE` lines: a labelled counter nobody has counted yet is declared all the same. */
  families: Set<string>;
}

/** GET /metrics of an internal listener with the service token, as Prometheus scrapes it. */
export async function scrape(baseUrl: string, token: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: internalAuthHeader(token) });
  if (!response.ok) throw new Error(`${baseUrl}/metrics answered ${response.status}`);
  return parseExposition(await response.text());
}

/** Prometheus' text format, as much of it as our processes and the Temporal SDK write. */
export function parseExposition(text: string): Scrape {
  const samples: Scrape['samples'] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) families.add(type[1]!);
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, families };
}

/** The sum of a metric's samples whose labels include `match`. */
export function total(s: Scrape, name: string, match: Record<string, string> = {}): number {
  return s.samples
    .filter((x) => x.name === name && Object.entries(match).every(([k, v]) => x.labels[k] === v))
    .reduce((sum, x) => sum + x.value, 0);
}

/** Every metric name a scrape knows: declared families, their samples, and a histogram's series. */
export function knownNames(s: Scrape): Set<string> {
  const names = new Set<string>([...s.families, ...s.samples.map((x) => x.name)]);
  for (const family of s.families)
    for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
  return names;
}
