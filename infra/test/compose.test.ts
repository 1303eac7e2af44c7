import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * What must hold of the deployment (docker-compose.yml, the Caddyfile, the Dockerfile), checked without
 * a Docker engine: `.ci/run` also lints the compose file with dclint (infra/scripts/test.sh).
 */
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Healthcheck = { test?: string | string[]; disable?: boolean };
type Service = {
  image?: string;
  build?: unknown;
  ports?: (string | { published?: string | number; host_ip?: string; target?: number })[];
  expose?: unknown;
  network_mode?: string;
  restart?: string;
  healthcheck?: Healthcheck;
  logging?: { driver?: string; options?: Record<string, string> };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  command?: string[];
  volumes?: string[];
  secrets?: string[];
  deploy?: { replicas?: number };
};
const composeText = read('docker-compose.yml');
// Compose merges `<<: *anchor` keys, as the yaml package does with `merge`.
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  secrets?: Record<string, { environment?: string; file?: string }>;
};
const services = Object.entries(compose.services);

/** `${VAR:-default}` as compose reads it when VAR is unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** Services others wait for to complete: they run once and exit, everything else runs for good. */
const oneShots = new Set(
  services.flatMap(([, s]) =>
    Object.entries(s.depends_on ?? {})
      .filter(([, d]) => d.condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);
const longRunning = services.filter(([name]) => !oneShots.has(name));

/** Every published port as `host_ip:published:target` (compose's short syntax). */
const published = services.flatMap(([name, s]) =>
  (s.ports ?? []).map((p) => {
    const text =
      typeof p === 'string' ? withDefaults(p) : `${p.host_ip ?? ''}:${p.published ?? ''}:${p.target ?? ''}`;
    const parts = text.split(':');
    // Two parts (`80:80`) or one (`80`) bind every interface.
    const hostIp = parts.length === 3 ? parts[0] : '';
    return { service: name, hostIp, published: parts.at(-2) ?? '', target: parts.at(-1) ?? '' };
  }),
);

describe('the docker-compose deployment', () => {
  it('publishes only Caddy on 80 and 443, and the Temporal Web UI, Prometheus and Grafana on this host only', () => {
    const outside = published.filter((p) => p.hostIp !== '127.0.0.1');
    expect(outside).toEqual([
      { service: 'caddy', hostIp: '0.0.0.0', published: '80', target: '80' },
      { service: 'caddy', hostIp: '0.0.0.0', published: '443', target: '443' },
    ]);
    const loopback = published.filter((p) => p.hostIp === '127.0.0.1');
    expect(loopback).toEqual([
      { service: 'temporal-ui', hostIp: '127.0.0.1', published: '8080', target: '8080' },
      { service: 'prometheus', hostIp: '127.0.0.1', published: '9090', target: '9090' },
      { service: 'grafana', hostIp: '127.0.0.1', published: '3000', target: '3000' },
    ]);
    for (const [name, s] of services) {
      expect({ name, networkMode: s.network_mode }).toEqual({ name, networkMode: undefined });
    }
  });

  it("never publishes Temporal's frontend, PostgreSQL, Redis or a service's own listener", () => {
    const targets = published.map((p) => Number(p.target));
    for (const internal of [7233, 5432, 6379, 4001, 4002, 4003, 4004, 4012, 4013, 9464])
      expect(targets).not.toContain(internal);
  });

  it('gives every long-running service a health check that can fail', () => {
    const alwaysTrue = /^(true|exit 0|:|kill -0 1)$/;
    for (const [name, s] of longRunning) {
      const test = s.healthcheck?.test;
      expect({ name, disabled: s.healthcheck?.disable ?? false }).toEqual({ name, disabled: false });
      expect({ name, test: Array.isArray(test) && test.length > 1 }).toEqual({ name, test: true });
      const [kind, ...command] = test as string[];
      expect(['CMD', 'CMD-SHELL']).toContain(kind);
      expect({ name, command: command.join(' ') }).not.toEqual({
        name,
        command: expect.stringMatching(alwaysTrue),
      });
    }
  });

  it("checks QuickCart's services where they can fail: /health (a query, polling) and the worker's heartbeat", () => {
    for (const [name, port] of [
      ['catalog', 4001],
      ['orders', 4002],
      ['gateway', 4003],
    ] as const)
      expect(compose.services[name].healthcheck?.test).toContain(
        `fetch('http://127.0.0.1:${port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
      );
    const worker = compose.services.worker;
    expect(worker.healthcheck?.test).toEqual(['CMD', 'node', '/app/workflows/dist/worker/health-check.js']);
    expect(worker.environment?.WORKER_HEARTBEAT_FILE).toBe('/tmp/worker.alive');
  });

  it('restarts every long-running service, and the one-shots retry inside until they succeed', () => {
    for (const [name, s] of longRunning)
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
    expect([...oneShots].sort()).toEqual(['temporal-schema', 'temporal-setup']);
    for (const name of oneShots) {
      const script = compose.services[name].command?.[0] ?? '';
      const file = script.replace('/etc/quickcart/temporal/', 'infra/temporal/compose/');
      expect(read(file)).toMatch(/^until setup.*; do$/m);
    }
  });

  it('runs only pinned images: a tag on every one, never latest', () => {
    for (const [name, s] of services) {
      const image = withDefaults(s.image ?? '');
      expect({ name, image }).toEqual({
        name,
        image: expect.stringMatching(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/),
      });
      expect(image.endsWith(':latest')).toBe(false);
    }
    // QuickCart's own image is built here, never pulled under its name from a registry.
    for (const [name, s] of services.filter(([, s]) => s.build))
      expect({ name, pull: (s as { pull_policy?: string }).pull_policy }).toEqual({ name, pull: 'build' });
  });

  it("runs Temporal's server, admin-tools 1.31 and the UI 2.49, as Temporal's own compose example", () => {
    expect(compose.services.temporal.image).toBe('temporalio/server:1.31.0');
    expect(compose.services['temporal-schema'].image).toBe('temporalio/admin-tools:1.31.0');
    expect(compose.services['temporal-setup'].image).toBe('temporalio/admin-tools:1.31.0');
    expect(compose.services['temporal-ui'].image).toBe('temporalio/ui:2.49.1');
    expect(composeText).not.toContain('auto-setup');
  });

  it('caps every log', () => {
    for (const [name, s] of services)
      expect({ name, options: s.logging?.options }).toEqual({
        name,
        options: { 'max-size': expect.stringMatching(/^\d+m$/), 'max-file': expect.stringMatching(/^\d+$/) },
      });
  });

  it('starts what needs Temporal only after the schema, the namespace and the search attributes are set up', () => {
    const completed = { condition: 'service_completed_successfully' };
    expect(compose.services.temporal.depends_on?.['temporal-schema']).toEqual(completed);
    expect(compose.services.orders.depends_on?.['temporal-setup']).toEqual(completed);
    expect(compose.services.worker.depends_on?.['temporal-setup']).toEqual(completed);
    const setup = compose.services['temporal-setup'];
    expect(setup.environment?.TEMPORAL_RETENTION).toBe('${TEMPORAL_RETENTION:-720h}');
    expect(setup.volumes).toContain(
      './packages/workflow-api/src/search-attributes.json:/etc/quickcart/search-attributes.json:ro',
    );
  });

  it('lets Prometheus alone hold the metrics token, as a secret file its scrape config reads', () => {
    expect(compose.secrets?.metrics_api_token).toEqual({ environment: 'METRICS_API_TOKEN' });
    const holders = services.filter(([, s]) => (s.secrets ?? []).includes('metrics_api_token'));
    expect(holders.map(([name]) => name)).toEqual(['prometheus']);
    // No container gets the token in its environment; every QuickCart process checks it by its digest.
    for (const [name, s] of services)
      expect({ name, token: s.environment?.METRICS_API_TOKEN }).toEqual({ name, token: undefined });
    for (const name of ['catalog', 'orders', 'gateway', 'worker'])
      expect({ name, digest: compose.services[name].environment?.METRICS_API_TOKEN_SHA256 }).toEqual({
        name,
        digest: '${METRICS_API_TOKEN_SHA256:?set in .env (infra/scripts/service-tokens.sh)}',
      });
    const config = parse(read('infra/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        authorization?: { type: string; credentials_file: string };
        dns_sd_configs: { names: string[]; type: string; port: number }[];
      }[];
    };
    // Every copy of each process is a target of its own: the name's A records, one per copy.
    expect(config.scrape_configs.map((j) => [j.job_name, j.dns_sd_configs])).toEqual([
      ['quickcart-catalog', [{ names: ['catalog'], type: 'A', port: 4001 }]],
      ['quickcart-orders', [{ names: ['orders'], type: 'A', port: 4002 }]],
      ['quickcart-gateway', [{ names: ['gateway'], type: 'A', port: 4003 }]],
      ['quickcart-worker', [{ names: ['worker'], type: 'A', port: 4004 }]],
    ]);
    for (const job of config.scrape_configs)
      expect(job.authorization).toEqual({
        type: 'Bearer',
        credentials_file: '/run/secrets/metrics_api_token',
      });
    expect(compose.services.worker.environment?.WORKER_PORT).toBe(4004);
    // The alert rules are where the config looks for them.
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(compose.services.prometheus.volumes).toEqual(
      expect.arrayContaining([
        './infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
  });

  it('provisions Grafana with the Prometheus data source and the QuickCart dashboard', () => {
    const grafana = compose.services.grafana;
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './infra/grafana/provisioning:/etc/grafana/provisioning:ro',
        './infra/grafana/quickcart.json:/var/lib/grafana/dashboards/quickcart.json:ro',
      ]),
    );
    const source = parse(read('infra/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(source.datasources).toEqual([
      expect.objectContaining({ uid: 'quickcart-prometheus', url: 'http://prometheus:9090' }),
    ]);
    const provider = parse(read('infra/grafana/provisioning/dashboards/quickcart.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    // No default admin password: compose refuses to start without one.
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });

  it('wants POSTGRES_PASSWORD set: no default password anywhere', () => {
    expect(composeText).not.toMatch(/\$\{POSTGRES_PASSWORD:-/);
    expect(compose.services.postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });
});

describe('Caddy in front', () => {
  const caddyfile = read('infra/caddy/Caddyfile');

  it('forwards only the two webhook paths, each to its own public listener, and answers 404 to the rest', () => {
    // Each `handle` block and what it ends in, in the order Caddy tries them.
    const routes: string[][] = [];
    const site = /^\{\$PUBLIC_HOSTNAME\} \{\n([\s\S]*?)\n\}$/m.exec(caddyfile)?.[1] ?? '';
    for (const line of site.split('\n').map((l) => l.trim())) {
      const handle = /^handle( \S+)? \{$/.exec(line);
      if (handle) routes.push([handle[1]?.trim() ?? '*']);
      else if (/^(import balanced|respond) /.test(line)) routes.at(-1)?.push(line);
    }
    expect(routes).toEqual([
      ['/webhooks/pakasir/*', 'import balanced orders 4012'],
      ['/telegram/webhook', 'import balanced gateway 4013'],
      ['*', 'respond 404'],
    ]);
    expect(caddyfile).toMatch(/^\{\$PUBLIC_HOSTNAME\} \{$/m);
    // Pakasir's path holds its secret: no access log.
    expect(caddyfile).not.toMatch(/^\s*log\b/m);
  });

  it('spreads every route over all copies of its service in turn, skipping a copy that is down', () => {
    const snippet = /^\(balanced\) \{\n([\s\S]*?)\n\}$/m.exec(caddyfile)?.[1] ?? '';
    // Every address the service's name resolves to (one per copy), not the first one only.
    expect(snippet).toMatch(/^\s*dynamic a \{args\[0\]\} \{args\[1\]\} \{$/m);
    expect(snippet).toMatch(/^\s*lb_policy round_robin$/m);
    expect(snippet).toMatch(/^\s*lb_try_duration \d+s$/m);
    expect(snippet).not.toMatch(/retry_match|lb_retry_match/); // only what never reached a copy is tried again
  });

  it('is how the services reach each other: one internal listener per API, none published', () => {
    const internal = [
      ...caddyfile.matchAll(/^http:\/\/:(\d+) \{\n\s*import balanced (\w+) (\d+)\n\}$/gm),
    ].map((m) => [Number(m[1]), m[2], Number(m[3])]);
    expect(internal).toEqual([
      [4001, 'catalog', 4001],
      [4002, 'orders', 4002],
      [4003, 'gateway', 4003],
    ]);
    const urls = Object.fromEntries(
      ['gateway', 'orders', 'worker'].map((name) => {
        const env = compose.services[name].environment ?? {};
        return [name, [env.CATALOG_URL, env.ORDERS_URL, env.GATEWAY_URL]];
      }),
    );
    expect(urls).toEqual({
      gateway: ['http://caddy:4001', 'http://caddy:4002', undefined],
      orders: ['http://caddy:4001', undefined, 'http://caddy:4003'],
      worker: ['http://caddy:4001', 'http://caddy:4002', 'http://caddy:4003'],
    });
  });
});

describe('replicas', () => {
  it('runs two of each QuickCart process', () => {
    const copies = ['catalog', 'orders', 'gateway', 'worker'].map((name) => [
      name,
      compose.services[name].deploy?.replicas,
    ]);
    expect(copies).toEqual([
      ['catalog', 2],
      ['orders', 2],
      ['gateway', 2],
      ['worker', 2],
    ]);
    // A copy has no fixed name or published port that a second copy would collide with.
    for (const name of ['catalog', 'orders', 'gateway', 'worker']) {
      const service = compose.services[name] as Service & { container_name?: string };
      expect({ name, container: service.container_name, ports: service.ports }).toEqual({
        name,
        container: undefined,
        ports: undefined,
      });
    }
  });

  it('runs the gateways on the webhook: two cannot both long-poll one bot', () => {
    const env = compose.services.gateway.environment ?? {};
    expect(env.TELEGRAM_WEBHOOK_URL).toMatch(/^https:\/\/\$\{PUBLIC_HOSTNAME:\?/);
    expect(env.TELEGRAM_WEBHOOK_SECRET).toMatch(/^\$\{TELEGRAM_WEBHOOK_SECRET:\?/);
  });
});

describe('the image', () => {
  const dockerfile = read('Dockerfile');

  it('backs up the shop, the audit log and Temporal daily, and is unhealthy while no backup is recent', () => {
    const backup = compose.services.backup;
    expect(backup).toBeDefined();
    expect(backup.image).toMatch(/^postgres:16\.\d+$/); // pg_dump of the server's major version
    expect(backup.volumes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\.\/infra\/backup:.*:ro$/),
        expect.stringMatching(/^backups:/),
      ]),
    );
    const env = backup.environment as Record<string, string>;
    expect(env.TEMPORAL_DATABASE_URLS).toMatch(/\/temporal,.*\/temporal_visibility$/);
    expect(env.TEMPORAL_SQLITE).toBe('none');
    expect(JSON.stringify(backup.command)).toContain('infra/backup/backup.sh');
    expect(JSON.stringify(backup.healthcheck?.test)).toMatch(/-mmin -\d+/);
  });

  it('runs Node 24 LTS, as .nvmrc says', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(read('.nvmrc').trim()).toBe('24');
  });

  it('carries no test packages and no emulators: they are development dependencies only', () => {
    const manifests = ['packages', 'services']
      .flatMap((dir) => readdirSync(path.join(ROOT, dir)).map((name) => `${dir}/${name}/package.json`))
      .concat('workflows/package.json');
    for (const file of manifests) {
      const dependencies = Object.keys(JSON.parse(read(file)).dependencies ?? {});
      expect({ file, dependencies }).toEqual({
        file,
        dependencies: expect.not.arrayContaining(['@temporalio/testing', '@quickcart/sandbox', 'jest']),
      });
    }
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/rm -rf infra node_modules\/@quickcart\/sandbox/);
  });

  it('builds the workflow bundle once and points the worker at it', () => {
    expect(dockerfile).toMatch(
      /node workflows\/dist\/worker\/build-workflow-bundle\.js workflows\/dist\/workflow-bundle\.js/,
    );
    expect(dockerfile).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/workflows\/dist\/workflow-bundle\.js/);
  });
});
