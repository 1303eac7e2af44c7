/**
 * The audit database's one table. Append-only is enforced by the database itself: triggers refuse
 * UPDATE, DELETE and TRUNCATE for every role, so no code path (ours or a console) can rewrite history.
 */
export const AUDIT_SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS audit_log (
     id              bigserial PRIMARY KEY,
     at              timestamptz NOT NULL DEFAULT now(),
     actor           text NOT NULL,
     action          text NOT NULL,
     target_type     text NOT NULL,
     target_id       text NOT NULL,
     before          jsonb,
     after           jsonb,
     reference       text,
     idempotency_key text UNIQUE
   )`,
  `CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log (target_type, target_id, id)`,
  `CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, id)`,
  `CREATE INDEX IF NOT EXISTS audit_log_reference ON audit_log (reference, id) WHERE reference IS NOT NULL`,
  `CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log`,
  `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
  `DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
];
