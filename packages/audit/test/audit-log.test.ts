import { createTestDatabase } from '@quickcart/db';
import { Client } from 'pg';
import { AuditLog } from '../src';

let db: { url: string; drop: () => Promise<void> };
let audit: AuditLog;
let pg: Client;

beforeAll(async () => {
  db = await createTestDatabase('audit');
  audit = await AuditLog.open(db.url);
  pg = new Client({ connectionString: db.url });
  await pg.connect();
});
afterAll(async () => {
  await pg.end();
  await audit.close();
  await db.drop();
});

describe('the audit log', () => {
  it('records an entry with actor, action, target, before, after and reference', async () => {
    await audit.record({
      actor: '111',
      action: 'balance.transfer',
      target: { type: 'user', id: '222' },
      before: { balance: 0 },
      after: { balance: 50_000 },
      reference: 'REQ-1',
    });
    const [entry] = await audit.latest({ targetId: '222' });
    expect(entry).toMatchObject({
      actor: '111',
      action: 'balance.transfer',
      target: { type: 'user', id: '222' },
      before: { balance: 0 },
      after: { balance: 50_000 },
      reference: 'REQ-1',
    });
    expect(entry.at).toBeInstanceOf(Date);
  });

  it('writes a retried entry once (idempotency key)', async () => {
    const entry = {
      actor: 'system',
      action: 'order.status',
      target: { type: 'order', id: 'INVIDEM' },
      idempotencyKey: 'order:INVIDEM:paid',
    };
    await audit.record(entry);
    await audit.record(entry);
    const { rows } = await pg.query("SELECT count(*)::int AS n FROM audit_log WHERE target_id = 'INVIDEM'");
    expect(rows[0].n).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await audit.record({ actor: '1', action: 'user.ban', target: { type: 'user', id: '333' } });
    await expect(pg.query("UPDATE audit_log SET actor = 'forged' WHERE target_id = '333'")).rejects.toThrow(
      /append-only/,
    );
    await expect(pg.query("DELETE FROM audit_log WHERE target_id = '333'")).rejects.toThrow(/append-only/);
    await expect(pg.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const { rows } = await pg.query("SELECT actor FROM audit_log WHERE target_id = '333'");
    expect(rows).toEqual([{ actor: '1' }]);
  });

  it('opens again on an existing database without error (migrations are idempotent)', async () => {
    const again = await AuditLog.open(db.url);
    await again.close();
  });

  it('filters the latest entries by actor and reference, newest first', async () => {
    await audit.record({ actor: '900', action: 'a.first', target: { type: 't', id: 'x' }, reference: 'R9' });
    await audit.record({ actor: '900', action: 'a.second', target: { type: 't', id: 'x' }, reference: 'R9' });
    expect((await audit.latest({ actor: '900' })).map((e) => e.action)).toEqual(['a.second', 'a.first']);
    expect((await audit.latest({ reference: 'R9', limit: 1 })).map((e) => e.action)).toEqual(['a.second']);
  });
});
