import { allow, parse, route } from '@quickcart/kit';
import { digestedNotice } from '@quickcart/notify';
import { Router } from 'express';
import { z } from 'zod';
import type { AdminDigest } from '../operations/admin-digest';

const digestBody = z.object({ key: z.string().min(1).max(200), message: digestedNotice });

/** POST /admin-digest: a workflow's notice for the admins' next digest (the worker only). */
export function adminDigestRoutes(digest: AdminDigest): Router {
  const r = Router();
  r.post(
    '/admin-digest',
    allow('worker'),
    route(async (req, res) => {
      const { key, message } = parse(digestBody, req.body);
      await digest.add(key, message);
      res.json({ queued: true });
    }),
  );
  return r;
}
