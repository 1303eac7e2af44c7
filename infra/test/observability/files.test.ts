import { ALERT_RULES } from '../../../services/orders/src/operations/alert-rules';
import { dashboardQueries, metricNames, readAlertRules, readDashboard, readScrapeConfig } from './files';

/**
 * The Prometheus and Grafana files an operator loads (docs/operations.md §17) parse and are complete.
 * That every metric they name is served is checked against the running processes in
 * infra/test/e2e/observability.e2e.test.ts.
 */
describe('the alert rules, the scrape config and the dashboard', () => {
  it('alerts.yml: each rule has an expression, a severity and a summary, and a name of its own', () => {
    const rules = readAlertRules();
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^QuickCart[A-Za-z]+$/);
      expect(rule.expr.trim()).not.toBe('');
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(metricNames(rule.expr).length).toBeGreaterThan(0);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    // What issue 20 asks to be told of: deliveries failing, a stuck payment, Pakasir or Telegram
    // refusing, the worker gone, the audit outbox backing up; and the bot's inbox giving up or backing up.
    const read = new Set(rules.flatMap((r) => metricNames(r.expr)));
    for (const name of [
      'quickcart_deliveries_failed_total',
      'quickcart_orders_stuck',
      'quickcart_pakasir_calls_total',
      'quickcart_telegram_calls_total',
      'temporal_num_pollers',
      'quickcart_audit_outbox_oldest_seconds',
      'quickcart_inbox_dead_letters',
      'quickcart_inbox_depth',
    ])
      expect(read).toContain(name);
  });

  it('alerts.yml: the rules the owner also hears of in Telegram have the thresholds orders uses', () => {
    const rule = (name: string) => readAlertRules().find((r) => r.alert === name)!;
    const pakasir = rule('QuickCartPakasirRefusing');
    const { failedShare, window, for: pakasirFor } = ALERT_RULES.pakasirRefusing;
    expect(pakasir.expr.match(/\[(\w+)\]/g)).toEqual([`[${window}]`, `[${window}]`]);
    expect(pakasir.expr).toMatch(new RegExp(`> ${failedShare}\\s*$`));
    expect(pakasir.for).toBe(pakasirFor);
    const telegram = rule('QuickCartTelegramRefusing');
    const t = ALERT_RULES.telegramRefusing;
    expect(telegram.expr).toBe(
      `sum by (result) (rate(quickcart_telegram_calls_total{result=~"${t.results}"}[${t.window}])) > ${t.perSecond}`,
    );
    expect(telegram.for).toBe(t.for);
    expect(rule('QuickCartWorkerNotPolling').for).toBe(ALERT_RULES.workerNotPolling.for);
  });

  it('prometheus.yml: scrapes the four processes with the scraper’s own token and loads the rules', () => {
    const config = readScrapeConfig();
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(config.scrape_configs.map((j) => j.job_name).sort()).toEqual([
      'quickcart-catalog',
      'quickcart-gateway',
      'quickcart-orders',
      'quickcart-worker',
    ]);
    for (const job of config.scrape_configs) {
      expect(job.metrics_path).toBe('/metrics');
      expect(job.authorization?.credentials_file).toBe('/run/secrets/metrics_api_token');
    }
  });

  it('quickcart.json: every panel queries something, from the provisioned data source', () => {
    const dashboard = readDashboard();
    expect(dashboard.uid).toBe('quickcart');
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(15);
    for (const q of queries) expect(metricNames(q.expr).length).toBeGreaterThan(0);
    expect(JSON.stringify(dashboard)).not.toMatch(/"uid":\s*"(?!quickcart)[^"]*prometheus/);
  });

  it('reads metric names out of PromQL, leaving functions, labels and strings', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (job, le) (rate(quickcart_http_request_duration_seconds_bucket{route="/x"}[5m])))',
      ),
    ).toEqual(['quickcart_http_request_duration_seconds_bucket']);
    expect(metricNames('sum(a_total{result!="ok"}) / sum(b_total) > 0.2 or absent(up)')).toEqual([
      'a_total',
      'b_total',
      'up',
    ]);
  });
});
