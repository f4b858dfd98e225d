/**
 * Browser mode survives a desk restart (issue 12 item 8): the port and token of the last run are kept in the data
 * folder (`browser-session.json`, mode 0600, like the rest of the folder only the desk's user can read it) and
 * reused, so the tab the clerk has open keeps working once the desk is back. A port another program took meanwhile
 * is given up for a free one (the new URL is printed, as on a first start).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SESSION_FILE = 'browser-session.json';

const SessionSchema = z.object({ port: z.number().int().min(1).max(65535), token: z.string().regex(/^[A-Za-z0-9_-]{32,}$/) });
export type BrowserSession = z.infer<typeof SessionSchema>;

/** The kept session, or null (none, unreadable, or not ours). */
export function readSession(dataDir: string): BrowserSession | null {
  try {
    const parsed = SessionSchema.safeParse(JSON.parse(readFileSync(path.join(dataDir, SESSION_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeSession(dataDir: string, s: BrowserSession): void {
  const file = path.join(dataDir, SESSION_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(s) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export const newToken = (): string => randomBytes(24).toString('base64url');

export function isAddressInUse(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'EADDRINUSE';
}
