import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
export const ALERTS_FILE = path.join(ROOT, 'infra/prometheus/alerts.yml');
export const SCRAPE_FILE = path.join(ROOT, 'infra/prometheus/prometheus.yml');
export const DASHBOARD_FILE = path.join(ROOT, 'infra/grafana/quickcart.json');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string } & Record<string, string>;
  annotations: { summary: string } & Record<string, string>;
}

export const readAlertRules = (): AlertRule[] =>
  (parse(readFileSync(ALERTS_FILE, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );

export const readScrapeConfig = () =>
  parse(readFileSync(SCRAPE_FILE, 'utf8')) as {
    rule_files: string[];
    scrape_configs: {
      job_name: string;
      metrics_path?: string;
      authorization?: { credentials_file?: string };
      static_configs: { targets: string[] }[];
    }[];
  };

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}
export const readDashboard = () =>
  JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { title: string; uid: string; panels: Panel[] };

/** Every PromQL expression of the dashboard's panels, with the panel's title. */
export function dashboardQueries(): { panel: string; expr: string }[] {
  const walk = (panels: Panel[]): { panel: string; expr: string }[] =>
    panels.flatMap((p) => [
      ...(p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
      ...walk(p.panels ?? []),
    ]);
  return walk(readDashboard().panels);
}

/** PromQL's functions, keywords and aggregations: words in an expression that are not metric names. */
const NOT_METRICS = new Set(
  `sum rate irate increase histogram_quantile by without on ignoring group_left group_right and or unless
   max min avg count absent absent_over_time clamp_min clamp_max topk bottomk offset bool vector time
   sort sort_desc label_replace delta deriv predict_linear changes resets scalar le`.split(/\s+/),
);

/**
 * The metric names an expression reads: identifiers outside label matchers, strings and durations that
 * are not PromQL words. Good enough for the expressions we write (checked against a scrape).
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/"[^"]*"/g, ' ') // strings
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' '); // grouping labels
  return [...new Set(bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [])].filter(
    (w) => !NOT_METRICS.has(w) && !/^\d/.test(w) && w !== 'e',
  );
}
