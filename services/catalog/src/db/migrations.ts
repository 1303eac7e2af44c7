import { outboxTableSql } from '@quickcart/audit';
import type { Migration } from '@quickcart/db';
import { stockCountsSql } from './stock-counts';

/** The catalog owns the `catalog` schema of the main database. Append new migrations; never edit one. */
export const catalogMigrations: Migration[] = [
  {
    name: '0001-products-and-stock',
    up: async (sql) => {
      await sql(`CREATE SCHEMA IF NOT EXISTS catalog`);
      await sql(`
        CREATE TABLE catalog.products (
          id             integer PRIMARY KEY CHECK (id > 0),
          name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
          description    text NOT NULL DEFAULT 'no description',
          category       text NOT NULL DEFAULT 'Tanpa Kategori',
          customer_price bigint NOT NULL CHECK (customer_price > 0),
          reseller_price bigint CHECK (reseller_price > 0),
          discount_type  text CHECK (discount_type IN ('percent', 'nominal')),
          discount_value bigint CHECK (discount_value > 0),
          is_active      boolean NOT NULL DEFAULT true,
          sold_count     integer NOT NULL DEFAULT 0 CHECK (sold_count >= 0),
          created_at     timestamptz NOT NULL DEFAULT now(),
          updated_at     timestamptz NOT NULL DEFAULT now(),
          CHECK ((discount_type IS NULL) = (discount_value IS NULL)),
          CHECK (discount_type IS DISTINCT FROM 'percent' OR discount_value <= 100)
        )`);
      await sql(`CREATE INDEX products_category ON catalog.products (category) WHERE is_active`);
      await sql(`
        CREATE TABLE catalog.category_discounts (
          category       text PRIMARY KEY,
          discount_type  text NOT NULL CHECK (discount_type IN ('percent', 'nominal')),
          discount_value bigint NOT NULL CHECK (discount_value > 0),
          updated_at     timestamptz NOT NULL DEFAULT now(),
          CHECK (discount_type = 'nominal' OR discount_value <= 100)
        )`);
      await sql(`
        CREATE TABLE catalog.stock_items (
          id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          product_id integer NOT NULL REFERENCES catalog.products (id) ON UPDATE CASCADE,
          content    text NOT NULL CHECK (length(content) > 0),
          status     text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'sold')),
          invoice_id text,
          created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          sold_at    timestamptz,
          CHECK ((status = 'available') = (invoice_id IS NULL)),
          CHECK ((status = 'sold') = (sold_at IS NOT NULL))
        )`);
      // Picking order is first in, first out.
      await sql(`CREATE INDEX stock_items_pick ON catalog.stock_items (product_id, status, created_at, id)`);
      await sql(
        `CREATE INDEX stock_items_invoice ON catalog.stock_items (invoice_id) WHERE invoice_id IS NOT NULL`,
      );
      // The same credential may not be on sale twice (docs/features.md §3.2 /addstock: duplicate of unsold stock).
      await sql(`
        CREATE UNIQUE INDEX stock_items_unsold_content
          ON catalog.stock_items (product_id, md5(content)) WHERE status <> 'sold'`);
      await sql(`
        CREATE TABLE catalog.reservations (
          invoice_id text PRIMARY KEY,
          product_id integer NOT NULL REFERENCES catalog.products (id) ON UPDATE CASCADE,
          quantity   integer NOT NULL CHECK (quantity > 0),
          status     text NOT NULL CHECK (status IN ('reserved', 'committed', 'released')),
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`);
    },
  },
  {
    name: '0002-audit-outbox',
    up: async (sql) => {
      // Admin changes' audit entries, written in the change's own transaction (packages/audit outbox).
      await sql(outboxTableSql('catalog.audit_outbox'));
    },
  },
  {
    name: '0003-held-reservations',
    up: async (sql) => {
      // The orders service pages through the reservations still holding stock (its orphan sweep): few
      // among every reservation ever made, so they get an index of their own.
      await sql(`
        CREATE INDEX reservations_held ON catalog.reservations (invoice_id, created_at)
         WHERE status = 'reserved'`);
    },
  },
  {
    name: '0004-product-images',
    up: async (sql) => {
      // /setimage (docs/features.md §2.4): the product's picture as a Telegram file id; null, text only.
      await sql(`ALTER TABLE catalog.products ADD COLUMN image_file_id text`);
    },
  },
  {
    name: '0005-released-invoices',
    up: async (sql) => {
      // A release that found no reservation (its reserve still on its way) closes the invoice for good:
      // a reserve arriving later is refused (docs/architecture.md §7.5).
      await sql(`
        CREATE TABLE catalog.released_invoices (
          invoice_id text PRIMARY KEY,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
    },
  },
  {
    name: '0006-stock-counts',
    up: async (sql) => {
      // One call, so one transaction (the runner gives each statement its own): the lock keeps every stock
      // write out from the backfill until the triggers are in place. Written to run again harmlessly, in
      // case the process stops between this commit and the runner's record of it.
      await sql(stockCountsSql);
    },
  },
];
