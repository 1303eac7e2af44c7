import { connectSequelize, createTestDatabase } from '@quickcart/db';
import { Client } from 'pg';
import type { Sequelize } from 'sequelize-typescript';
import { AuditLog, AuditOutbox, outboxTableSql } from '../src';

let service: { url: string; drop: () => Promise<void> };
let auditDb: { url: string; drop: () => Promise<void> };
let sequelize: Sequelize;
let audit: AuditLog;
let outbox: AuditOutbox;
let auditPg: Client;

const quiet = { warn: () => undefined };

beforeAll(async () => {
  service = await createTestDatabase('outbox');
  auditDb = await createTestDatabase('audit');
  sequelize = connectSequelize({ url: service.url, models: [], applicationName: 'outbox-test' });
  await sequelize.query('CREATE SCHEMA svc');
  await sequelize.query(outboxTableSql('svc.audit_outbox'));
  audit = await AuditLog.open(auditDb.url);
  outbox = new AuditOutbox(sequelize, 'svc.audit_outbox', audit, quiet);
  auditPg = new Client({ connectionString: auditDb.url });
  await auditPg.connect();
});
afterAll(async () => {
  await auditPg.end();
  await audit.close();
  await sequelize.close();
  await service.drop();
  await auditDb.drop();
});

const addEntry = (targetId: string) =>
  sequelize.transaction((t) =>
    outbox.add({ actor: 'system', action: 'test.write', target: { type: 'thing', id: targetId } }, t),
  );

const recorded = async (targetId: string) =>
  (await auditPg.query('SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1', [targetId])).rows[0]
    .n as number;

describe('the audit outbox', () => {
  it('moves an entry without a key of its own exactly once', async () => {
    await addEntry('once');
    expect(await outbox.flush()).toBe(1);
    expect(await outbox.flush()).toBe(0);
    expect(await recorded('once')).toBe(1);
  });

  it('keeps every entry after the service database is restored and its outbox ids start again', async () => {
    await addEntry('before-restore');
    await outbox.flush();
    // A restore from a backup taken before those rows: the outbox sequence counts from 1 again.
    await sequelize.query('TRUNCATE svc.audit_outbox RESTART IDENTITY');
    await addEntry('after-restore');
    await outbox.flush();
    expect(await recorded('before-restore')).toBe(1);
    expect(await recorded('after-restore')).toBe(1);
  });
});
