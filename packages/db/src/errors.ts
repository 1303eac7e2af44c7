/** PostgreSQL error codes we act on (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PG = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
} as const;

/** The SQLSTATE of an error thrown by pg directly or wrapped by Sequelize. */
export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; parent?: { code?: string }; original?: { code?: string } };
  return e?.parent?.code ?? e?.original?.code ?? e?.code;
}
