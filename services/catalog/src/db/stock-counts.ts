/**
 * Each product's available and reserved stock, kept on its row so customer reads count nothing
 * (docs/architecture.md §7.5). Triggers on catalog.stock_items own the rule: every statement's rows are
 * turned into per-product changes, applied in product id order, so two statements touching several
 * products cannot deadlock on each other's product rows. A stock row moved to another product (only an
 * id change's ON UPDATE CASCADE does that) has both products counted again instead: the moved product
 * row already carries its counts under its new id, so a change by difference would count them twice.
 */

/** The product row `p`'s counts, from its stock rows: the backfill and a recount. */
const COUNTED = `(SELECT count(*) FILTER (WHERE s.status = 'available'), count(*) FILTER (WHERE s.status = 'reserved')
                    FROM catalog.stock_items s WHERE s.product_id = p.id)`;

export const stockCountsSql = `
  -- Products first, as a reserve takes them (its claim's foreign key), then stock: no stock write lands
  -- between the backfill and the triggers.
  LOCK TABLE catalog.products IN ACCESS EXCLUSIVE MODE;
  LOCK TABLE catalog.stock_items IN SHARE ROW EXCLUSIVE MODE;

  ALTER TABLE catalog.products
    ADD COLUMN IF NOT EXISTS stock_available integer NOT NULL DEFAULT 0 CHECK (stock_available >= 0),
    ADD COLUMN IF NOT EXISTS stock_reserved integer NOT NULL DEFAULT 0 CHECK (stock_reserved >= 0);

  UPDATE catalog.products p SET (stock_available, stock_reserved) = ${COUNTED};

  -- gone: rows as they were before the statement; came: as they are after it; moved: products whose
  -- stock rows changed product, counted again under the row lock.
  CREATE OR REPLACE FUNCTION catalog.apply_stock_moves(
    gone catalog.stock_items[], came catalog.stock_items[], moved integer[]
  ) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE
    d record;
  BEGIN
    FOR d IN
      SELECT product_id,
             COALESCE(sum(n) FILTER (WHERE status = 'available'), 0)::int AS available,
             COALESCE(sum(n) FILTER (WHERE status = 'reserved'), 0)::int AS reserved,
             bool_or(recount) AS recount
        FROM (SELECT product_id, status, -1 AS n, false AS recount FROM unnest(gone)
              UNION ALL SELECT product_id, status, 1, false FROM unnest(came)
              UNION ALL SELECT m, NULL, 0, true FROM unnest(moved) AS m) changes
       GROUP BY product_id
       ORDER BY product_id
    LOOP
      IF d.recount THEN
        -- Locked first, counted after: the count's snapshot then holds every move committed before ours.
        PERFORM 1 FROM catalog.products WHERE id = d.product_id FOR NO KEY UPDATE;
        UPDATE catalog.products p SET (stock_available, stock_reserved) = ${COUNTED} WHERE p.id = d.product_id;
      ELSIF d.available <> 0 OR d.reserved <> 0 THEN
        UPDATE catalog.products
           SET stock_available = stock_available + d.available,
               stock_reserved = stock_reserved + d.reserved
         WHERE id = d.product_id;
      END IF;
    END LOOP;
  END $$;

  -- A transition table's rows are of an anonymous row type: each is cast to the table's own.
  CREATE OR REPLACE FUNCTION catalog.stock_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM catalog.apply_stock_moves('{}', ARRAY(SELECT n::catalog.stock_items FROM came n), '{}');
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION catalog.stock_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM catalog.apply_stock_moves(ARRAY(SELECT o::catalog.stock_items FROM gone o), '{}', '{}');
    RETURN NULL;
  END $$;

  -- Only a change of status or product counts; a row whose other columns changed is left out.
  CREATE OR REPLACE FUNCTION catalog.stock_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM catalog.apply_stock_moves(
      ARRAY(SELECT o::catalog.stock_items FROM gone o JOIN came n USING (id)
             WHERE o.product_id = n.product_id AND o.status <> n.status),
      ARRAY(SELECT n::catalog.stock_items FROM gone o JOIN came n USING (id)
             WHERE o.product_id = n.product_id AND o.status <> n.status),
      ARRAY(SELECT DISTINCT unnest(ARRAY[o.product_id, n.product_id])
              FROM gone o JOIN came n USING (id) WHERE o.product_id <> n.product_id));
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION catalog.stock_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE catalog.products SET stock_available = 0, stock_reserved = 0
     WHERE stock_available <> 0 OR stock_reserved <> 0;
    RETURN NULL;
  END $$;

  -- Transition tables allow one event a trigger, hence one trigger an event.
  CREATE OR REPLACE TRIGGER stock_counts_insert AFTER INSERT ON catalog.stock_items
    REFERENCING NEW TABLE AS came FOR EACH STATEMENT EXECUTE FUNCTION catalog.stock_counts_after_insert();
  CREATE OR REPLACE TRIGGER stock_counts_update AFTER UPDATE ON catalog.stock_items
    REFERENCING OLD TABLE AS gone NEW TABLE AS came
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.stock_counts_after_update();
  CREATE OR REPLACE TRIGGER stock_counts_delete AFTER DELETE ON catalog.stock_items
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION catalog.stock_counts_after_delete();
  CREATE OR REPLACE TRIGGER stock_counts_truncate AFTER TRUNCATE ON catalog.stock_items
    FOR EACH STATEMENT EXECUTE FUNCTION catalog.stock_counts_after_truncate();
`;
