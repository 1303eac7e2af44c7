import { allow, parse, route, type Logger } from '@quickcart/kit';
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import * as c from '../contract';
import type { OrderExport } from '../reports/order-export';
import { resolvePeriod } from '../reports/period';
import type { SalesReports } from '../reports/sales-report';

export interface ReportRouteDeps {
  reports: SalesReports;
  exports: OrderExport;
  /** SHOP_TIMEZONE: the shop's days, weeks and months. */
  timezone: string;
  logger: Logger;
}

/** /report and /exportorders (docs/features.md §3.5); a period that does not parse answers 400 `period`. */
export function reportRoutes(d: ReportRouteDeps): Router {
  const r = Router();
  const period = (query: unknown) => resolvePeriod(parse(c.reportQuery, query).period, d.timezone);
  r.get(
    '/reports/sales',
    allow('gateway'),
    route(async (req, res) => res.json(await d.reports.report(period(req.query)))),
  );
  r.get(
    '/reports/orders.csv',
    allow('gateway'),
    route(async (req, res) => {
      const { period: asked, actor } = parse(c.exportQuery, req.query);
      const p = resolvePeriod(asked, d.timezone);
      await d.exports.audit(p, actor);
      res.status(200).type('text/csv; charset=utf-8');
      res.attachment(`orders-${p.firstDay}_${p.lastDay}.csv`);
      // Streamed as read (order-export.ts); a failure half-way cuts the response, so the caller's upload
      // fails instead of sending a file that looks whole.
      await pipeline(d.exports.csv(p), res).catch((error: Error) => {
        d.logger.error('order export failed', { message: error.message });
        res.destroy(error);
      });
    }),
  );
  return r;
}
