import type { Migration } from '@quickcart/db';

/** The orders service owns the `orders` schema of the main database. Append; never edit a migration. */
export const ordersMigrations: Migration[] = [
  {
    name: '0001-users-ledger-orders',
    up: async (sql) => {
      await sql(`CREATE SCHEMA IF NOT EXISTS orders`);
      await sql(`
        CREATE TABLE orders.users (
          id          bigint PRIMARY KEY,
          name        text NOT NULL DEFAULT 'Anonymous',
          username    text,
          email       text,
          whatsapp    text,
          role        text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'reseller', 'admin')),
          bank_id     char(6) NOT NULL UNIQUE CHECK (bank_id ~ '^[0-9]{6}$'),
          balance     bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
          is_banned   boolean NOT NULL DEFAULT false,
          blocked_bot boolean NOT NULL DEFAULT false,
          created_at  timestamptz NOT NULL DEFAULT now(),
          updated_at  timestamptz NOT NULL DEFAULT now()
        )`);
      await sql(`CREATE UNIQUE INDEX users_email ON orders.users (lower(email)) WHERE email IS NOT NULL`);
      // The balance is the sum of a user's entries; users.balance caches it under the same row lock.
      await sql(`
        CREATE TABLE orders.ledger (
          id              bigserial PRIMARY KEY,
          user_id         bigint NOT NULL REFERENCES orders.users (id),
          delta           bigint NOT NULL CHECK (delta <> 0),
          reason          text NOT NULL CHECK (reason IN ('deposit', 'purchase', 'refund', 'transfer', 'edit', 'late_payment')),
          reference       text,
          idempotency_key text NOT NULL UNIQUE,
          balance_after   bigint NOT NULL CHECK (balance_after >= 0),
          created_at      timestamptz NOT NULL DEFAULT now()
        )`);
      await sql(`CREATE INDEX ledger_user ON orders.ledger (user_id, id)`);
      await sql(`
        CREATE TABLE orders.orders (
          id               bigserial PRIMARY KEY,
          invoice_id       text NOT NULL UNIQUE,
          user_id          bigint NOT NULL REFERENCES orders.users (id),
          kind             text NOT NULL CHECK (kind IN ('purchase', 'deposit')),
          subtotal         bigint NOT NULL CHECK (subtotal >= 0),
          voucher_discount bigint NOT NULL DEFAULT 0 CHECK (voucher_discount >= 0),
          payment_fee      bigint NOT NULL DEFAULT 0 CHECK (payment_fee >= 0),
          total            bigint NOT NULL CHECK (total >= 0),
          payment_method   text NOT NULL CHECK (payment_method IN ('qris', 'balance')),
          status           text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'paid', 'expired', 'cancelled', 'failed')),
          qr_message_id    bigint,
          expires_at       timestamptz,
          paid_at          timestamptz,
          created_at       timestamptz NOT NULL DEFAULT now(),
          updated_at       timestamptz NOT NULL DEFAULT now(),
          CHECK (total = subtotal - voucher_discount + payment_fee)
        )`);
      await sql(`CREATE INDEX orders_user ON orders.orders (user_id, created_at DESC)`);
      // docs/features.md §2.6: at most one pending QRIS invoice per customer.
      await sql(`
        CREATE INDEX orders_pending_qris ON orders.orders (user_id)
         WHERE status = 'pending' AND payment_method = 'qris'`);
      await sql(`
        CREATE TABLE orders.order_items (
          order_id       bigint NOT NULL REFERENCES orders.orders (id),
          product_id     integer NOT NULL,
          product_name   text NOT NULL,
          quantity       integer NOT NULL CHECK (quantity > 0),
          price_per_unit bigint NOT NULL CHECK (price_per_unit >= 0),
          stock_item_ids text[] NOT NULL DEFAULT '{}',
          PRIMARY KEY (order_id, product_id)
        )`);
      await sql(
        `CREATE TABLE orders.settings (key text PRIMARY KEY, value jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
      );
      await sql(
        `CREATE TABLE orders.notification_groups (chat_id bigint PRIMARY KEY, added_at timestamptz NOT NULL DEFAULT now())`,
      );
      // Audit entries written in the same transaction as the change, then moved to the audit database.
      await sql(`
        CREATE TABLE orders.audit_outbox (
          id         bigserial PRIMARY KEY,
          entry      jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
    },
  },
  {
    name: '0002-broadcasts',
    up: async (sql) => {
      // One row per /broadcast: who sent what, and the totals once its workflow ends.
      await sql(`
        CREATE TABLE orders.broadcasts (
          id          text PRIMARY KEY,
          admin_id    bigint NOT NULL,
          message     jsonb NOT NULL,
          status      text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done', 'cancelled')),
          total       integer,
          sent        integer,
          failed      integer,
          blocked     integer,
          started_at  timestamptz NOT NULL DEFAULT now(),
          finished_at timestamptz
        )`);
    },
  },
  {
    name: '0003-vouchers',
    up: async (sql) => {
      // docs/features.md §3.3: one-time codes. A pending order holds its voucher (held_by); paid takes it
      // (used_*), expired or cancelled gives it back. The row lock decides between two orders.
      await sql(`
        CREATE TABLE orders.vouchers (
          code         text PRIMARY KEY,
          amount       bigint NOT NULL CHECK (amount > 0),
          created_by   bigint NOT NULL,
          created_at   timestamptz NOT NULL DEFAULT now(),
          expires_at   timestamptz NOT NULL,
          held_by      text,
          used_by      bigint,
          used_at      timestamptz,
          used_invoice text,
          CHECK (held_by IS NULL OR used_at IS NULL)
        )`);
      await sql(`CREATE INDEX vouchers_held_by ON orders.vouchers (held_by) WHERE held_by IS NOT NULL`);
      await sql(
        `CREATE INDEX vouchers_used_by ON orders.vouchers (used_by, used_at) WHERE used_by IS NOT NULL`,
      );
    },
  },
  {
    name: '0004-late-payment-refunds',
    up: async (sql) => {
      // A QRIS payment Pakasir confirms after its order closed unpaid is refunded to the balance, once:
      // recorded on the order, under its row lock, in the same transaction as the ledger credit.
      await sql(`
        ALTER TABLE orders.orders
          ADD COLUMN refunded_amount bigint CHECK (refunded_amount > 0),
          ADD COLUMN refunded_at     timestamptz,
          ADD CHECK ((refunded_amount IS NULL) = (refunded_at IS NULL))`);
      // What reconciliation asks Pakasir about: closed unpaid, not refunded, by when it closed.
      await sql(`
        CREATE INDEX orders_unrefunded_closed_qris ON orders.orders (updated_at)
         WHERE payment_method = 'qris' AND refunded_at IS NULL
           AND status IN ('expired', 'cancelled', 'failed')`);
    },
  },
  {
    name: '0005-payment-unknown',
    up: async (sql) => {
      // A QRIS order Pakasir would not confirm either way is parked as payment_unknown for an operator.
      await sql(`ALTER TABLE orders.orders DROP CONSTRAINT orders_status_check`);
      await sql(`
        ALTER TABLE orders.orders ADD CONSTRAINT orders_status_check
          CHECK (status IN ('pending', 'paid', 'expired', 'cancelled', 'failed', 'payment_unknown'))`);
    },
  },
  {
    name: '0006-workflow-starts',
    up: async (sql) => {
      // The outbox of payment workflow starts (payments/workflow-starts.ts): a row is written with its
      // order and deleted once Temporal has the workflow; `cancel_reason` when a newer checkout replaced
      // the order. Rows live seconds, so the relay's scan by age stays small.
      await sql(`
        CREATE TABLE orders.workflow_starts (
          invoice_id    text PRIMARY KEY REFERENCES orders.orders (invoice_id),
          cancel_reason text,
          created_at    timestamptz NOT NULL DEFAULT now()
        )`);
      await sql(`CREATE INDEX workflow_starts_age ON orders.workflow_starts (created_at, invoice_id)`);
      // The sweep for pending orders left without a workflow pages through the pending ones by id.
      await sql(`CREATE INDEX orders_pending ON orders.orders (id) WHERE status = 'pending'`);
    },
  },
  {
    name: '0007-request-keys',
    up: async (sql) => {
      // The Telegram update that asked for an order: an update handed over twice makes one order. The
      // unique index decides between two identical requests at once.
      await sql(`ALTER TABLE orders.orders ADD COLUMN request_key text`);
      await sql(`CREATE UNIQUE INDEX orders_request_key ON orders.orders (request_key)`);
    },
  },
  {
    name: '0008-voucher-request-keys',
    up: async (sql) => {
      // The /giveaway update that made a batch of codes: the same update handled twice makes one batch.
      await sql(`ALTER TABLE orders.vouchers ADD COLUMN request_key text`);
      await sql(
        `CREATE INDEX vouchers_request_key ON orders.vouchers (request_key) WHERE request_key IS NOT NULL`,
      );
    },
  },
  {
    name: '0009-pakasir-invoice-fee',
    up: async (sql) => {
      // Pakasir's answer to the create is what the customer pays (docs/features.md §2.5): it replaces the
      // quoted payment_fee and total, the quote kept in quoted_fee, Pakasir's total_payment beside it.
      // Both null until Pakasir has answered.
      await sql(`ALTER TABLE orders.orders ADD COLUMN quoted_fee bigint CHECK (quoted_fee >= 0)`);
      await sql(
        `ALTER TABLE orders.orders ADD COLUMN invoice_total_payment bigint CHECK (invoice_total_payment >= 0)`,
      );
    },
  },
  {
    name: '0010-sales-report-indexes',
    up: async (sql) => {
      // /report and /exportorders (docs/features.md §3.5) read a period by when orders were made and paid,
      // and the refunds by their ledger entry; the export pages on (created_at, id).
      await sql(`CREATE INDEX orders_created ON orders.orders (created_at, id)`);
      await sql(`CREATE INDEX orders_paid ON orders.orders (paid_at) WHERE paid_at IS NOT NULL`);
      await sql(
        `CREATE INDEX ledger_refunds ON orders.ledger (created_at) WHERE reason IN ('refund', 'late_payment')`,
      );
    },
  },
  {
    name: '0011-fraud-flags',
    up: async (sql) => {
      // Anti-fraud signals raised when an order was paid (docs/features.md §4): shown in /info, never
      // blocking. One per order and rule; windowed rules once per user within their window.
      await sql(`
        CREATE TABLE orders.fraud_flags (
          id         bigserial PRIMARY KEY,
          user_id    bigint NOT NULL REFERENCES orders.users(id),
          invoice_id text NOT NULL,
          rule       text NOT NULL,
          value      bigint NOT NULL,
          threshold  bigint NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (invoice_id, rule)
        )`);
      await sql(`CREATE INDEX fraud_flags_user ON orders.fraud_flags (user_id, rule, created_at DESC)`);
    },
  },
  {
    name: '0012-owner-alerts',
    up: async (sql) => {
      // The owner's alerts (docs/operations.md §16): one row per alert, its state and whether the owner
      // was told; `episode` counts the times it fired, naming each notice once.
      await sql(`
        CREATE TABLE orders.owner_alerts (
          name       text PRIMARY KEY,
          firing     boolean NOT NULL DEFAULT false,
          episode    integer NOT NULL DEFAULT 0,
          told       boolean NOT NULL DEFAULT true,
          detail     text,
          changed_at timestamptz NOT NULL DEFAULT now()
        )`);
      // Written by infra/backup/backup.sh after each run, read by the backup alert.
      await sql(`
        CREATE TABLE orders.backup_runs (
          id   bigserial PRIMARY KEY,
          at   timestamptz NOT NULL DEFAULT now(),
          ok   boolean NOT NULL,
          file text
        )`);
    },
  },
  {
    name: '0013-warranty-claims',
    up: async (sql) => {
      // /setwarranty (docs/features.md §2.9.1): a product's warranty in days; a product without a row has
      // the refund formula's base_days. Kept here, beside the claims and the formula it defaults to.
      await sql(`
        CREATE TABLE orders.product_warranties (
          product_id integer PRIMARY KEY,
          days       integer NOT NULL CHECK (days BETWEEN 0 AND 3650),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`);
      // One row a claim; its id is its workflow's id (warranty-<invoice>-<n>). At most one open claim an
      // order (the partial unique index decides between two at once); the outcome is written once.
      await sql(`
        CREATE TABLE orders.warranty_claims (
          id             text PRIMARY KEY,
          invoice_id     text NOT NULL REFERENCES orders.orders (invoice_id),
          n              integer NOT NULL CHECK (n > 0),
          user_id        bigint NOT NULL REFERENCES orders.users (id),
          product_id     integer NOT NULL,
          product_name   text NOT NULL,
          problem        text NOT NULL,
          photo_file_id  text,
          status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replaced', 'refunded', 'rejected')),
          decided_by     text,
          reject_reason  text,
          refund_amount  bigint CHECK (refund_amount >= 0),
          replacement_item_ids text[],
          created_at     timestamptz NOT NULL DEFAULT now(),
          decided_at     timestamptz,
          UNIQUE (invoice_id, n),
          CHECK ((status = 'open') = (decided_at IS NULL))
        )`);
      await sql(
        `CREATE UNIQUE INDEX warranty_claims_open ON orders.warranty_claims (invoice_id) WHERE status = 'open'`,
      );
      // The refund calculator counts a customer's claims (docs/features.md §3.4).
      await sql(`CREATE INDEX warranty_claims_user ON orders.warranty_claims (user_id, created_at)`);
    },
  },
  {
    name: '0014-user-language',
    up: async (sql) => {
      // The language a user reads the shop in (docs/features.md §8.1): `language` is their own choice
      // (NULL: none yet), `telegram_language` the last language_code Telegram sent, followed until they choose.
      await sql(`ALTER TABLE orders.users ADD COLUMN language text CHECK (language IN ('id', 'en'))`);
      await sql(`ALTER TABLE orders.users ADD COLUMN telegram_language text`);
    },
  },
  {
    name: '0015-admin-digest',
    up: async (sql) => {
      // The admins' notices of what went as it should, gathered into one message a chat every
      // ADMIN_DIGEST_SECONDS (operations/admin-digest.ts); the key is the workflow's, once.
      await sql(`
        CREATE TABLE orders.admin_digest (
          id         bigserial PRIMARY KEY,
          key        text NOT NULL UNIQUE,
          message    jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          sent_at    timestamptz
        )`);
      await sql(`CREATE INDEX admin_digest_unsent ON orders.admin_digest (id) WHERE sent_at IS NULL`);
    },
  },
  {
    name: '0016-admin-digest-batch',
    up: async (sql) => {
      // The digest a notice was first offered in (the id of its first notice), fixed before it is sent:
      // a digest refused halfway goes again as it was, so the half that went is not sent twice.
      await sql(`ALTER TABLE orders.admin_digest ADD COLUMN batch bigint`);
    },
  },
  {
    name: '0017-paid-method',
    up: async (sql) => {
      // How a QRIS order was paid, by Pakasir's confirmed detail (docs/features.md §6.1): `qris`, or a
      // virtual account chosen on Pakasir's page (`bni_va`…), and that method's fee (NULL: not known).
      // NULL method: not paid through Pakasir, or paid before the columns. A known fee of another method
      // than QRIS is also in payment_fee and total.
      await sql(
        `ALTER TABLE orders.orders ADD COLUMN paid_method text CHECK (paid_method ~ '^[a-z0-9_]{1,40}$')`,
      );
      await sql(`ALTER TABLE orders.orders ADD COLUMN paid_fee bigint CHECK (paid_fee >= 0)`);
    },
  },
  {
    name: '0018-refusing-alerts',
    up: async (sql) => {
      // What Pakasir and Telegram answered the callers (orders' own Pakasir calls, the worker's, the
      // gateway's Telegram calls), one row per report and result, for the owner's refusing alerts
      // (operations/dependency-calls.ts); rows older than an hour are deleted.
      await sql(`
        CREATE TABLE orders.dependency_calls (
          id         bigserial PRIMARY KEY,
          dependency text NOT NULL CHECK (dependency IN ('pakasir', 'telegram')),
          result     text NOT NULL,
          calls      integer NOT NULL CHECK (calls > 0),
          at         timestamptz NOT NULL DEFAULT now()
        )`);
      await sql(`CREATE INDEX dependency_calls_at ON orders.dependency_calls (dependency, at)`);
      // An alert whose condition must last (Prometheus' `for`): when it was first seen, not told yet.
      await sql(`ALTER TABLE orders.owner_alerts ADD COLUMN pending_since timestamptz`);
    },
  },
  {
    name: '0019-press-message',
    up: async (sql) => {
      // The message a balance purchase's press was on (its confirmation, which the gateway turned into
      // "processing"): the run edits it into the receipt with the goods (docs/delivery.md, issue 18).
      await sql(`ALTER TABLE orders.orders ADD COLUMN press_message_id bigint`);
    },
  },
];
