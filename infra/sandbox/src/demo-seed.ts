/**
 * Adds a few demo products with stock when the catalog is empty, so a fresh sandbox has something to
 * sell. Runs once from `npm start` in sandbox mode; an existing catalog is left alone.
 */
const catalogUrl = (process.env.CATALOG_URL ?? 'http://127.0.0.1:4001').replace(/\/$/, '');
// Catalog's API is internal: the seed adds products as an admin's commands do, with the gateway's token
// (npm start makes it for the run).
const token = process.env.GATEWAY_API_TOKEN ?? '';

const DEMO = [
  {
    id: 1,
    name: 'Netflix Premium 1 Bulan',
    category: 'Streaming',
    price: 50_000,
    description: 'Akun sharing, 1 profil.',
  },
  {
    id: 2,
    name: 'Spotify Premium 1 Bulan',
    category: 'Streaming',
    price: 20_000,
    description: 'Upgrade akun pribadi.',
  },
  {
    id: 3,
    name: 'Canva Pro 1 Bulan',
    category: 'Desain',
    price: 15_000,
    description: 'Undangan tim Canva Pro.',
  },
  { id: 4, name: 'Kursus Excel Dasar', category: 'Kursus', price: 30_000, description: 'Link kelas online.' },
];

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(catalogUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function main(): Promise<void> {
  const page = (await call('GET', '/products?pageSize=1')) as { totalItems: number };
  if (page.totalItems > 0) return;
  for (const p of DEMO) {
    await call('POST', '/products', p);
    const lines = Array.from({ length: 10 }, (_, i) => `demo-${p.id}-${i + 1}@quickcart.test:sandi${i + 1}`);
    await call('POST', `/products/${p.id}/stock`, { lines });
  }
  console.log(`[seed] added ${DEMO.length} demo products with 10 items each`);
}

main().catch((error: Error) => {
  console.error(`[seed] ${error.message}`);
  process.exit(1);
});
