import type { RequestHandler } from 'express';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Unauthorized } from './errors';

/** The shortest INTERNAL_API_TOKEN a service accepts: 32 characters (docs/security.md). */
export const INTERNAL_TOKEN_MIN_LENGTH = 32;

/** INTERNAL_API_TOKEN in a config schema: required, long enough to be unguessable. */
export const internalTokenSetting = () =>
  z
    .string({ error: 'required: the shared token of our services (e.g. openssl rand -hex 32)' })
    .min(INTERNAL_TOKEN_MIN_LENGTH, `at least ${INTERNAL_TOKEN_MIN_LENGTH} characters`);

/** A fresh token, for sandbox mode and tests (a set one is always used instead). */
export const generateInternalToken = (): string => randomBytes(32).toString('hex');

/** The header our typed clients send. */
export const internalAuthHeader = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/** Refuses every request without `Authorization: Bearer <token>` with 401, before any body is read. */
export function requireInternalToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (match && sameSecret(match[1], token)) return next();
    next(
      new Unauthorized(
        'an internal route: Authorization: Bearer <INTERNAL_API_TOKEN> required',
        match ? 'wrong_token' : 'missing_token',
      ),
    );
  };
}

/**
 * Compares a secret someone sent with ours in constant time. Both sides are hashed first, so the time
 * taken says nothing about the length either.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

const digest = (value: string) => createHash('sha256').update(value).digest();
