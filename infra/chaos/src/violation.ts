/**
 * A violation of an invariant, with the invoice (or other id) it was found on. A file of its own with
 * no imports: the harness tests (infra/test/harness) type-check what they import without the bench's
 * dist/, which a fresh clone has not built yet.
 */
export interface Violation {
  invariant: string;
  subject: string;
  detail: string;
}
