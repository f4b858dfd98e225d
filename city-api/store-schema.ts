/** The simulator's SQLite schema and its row shapes (store.ts reads and writes them). */

export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  token_hash TEXT PRIMARY KEY,
  hospital_code TEXT NOT NULL,
  desk_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_expiry ON tokens(expires_at);
CREATE TABLE IF NOT EXISTS requests (
  server_id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  hospital_code TEXT NOT NULL,
  desk_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  registration_id TEXT NOT NULL,
  service TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  document_number TEXT,
  child_id_number TEXT,
  intake_count INTEGER NOT NULL DEFAULT 1,
  conflict_count INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  next_due_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS requests_key ON requests(idempotency_key);
CREATE INDEX IF NOT EXISTS requests_due ON requests(next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS requests_hospital ON requests(hospital_code);
CREATE TABLE IF NOT EXISTS status_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  hospital_code TEXT NOT NULL,
  server_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  document_number TEXT,
  child_id_number TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS status_updates_hospital ON status_updates(hospital_code, seq);
CREATE TABLE IF NOT EXISTS documents (
  number TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  server_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export interface ReviewClock {
  receivedToReviewMs: number;
  reviewToDecisionMs: number;
}

export interface RequestRow {
  server_id: string;
  idempotency_key: string;
  fingerprint: string;
  hospital_code: string;
  desk_id: string;
  request_id: string;
  registration_id: string;
  service: string;
  jurisdiction: string;
  payload: string;
  status: string;
  reason: string | null;
  document_number: string | null;
  child_id_number: string | null;
  intake_count: number;
  conflict_count: number;
  received_at: number;
  updated_at: number;
  next_due_at: number | null;
}

export interface UpdateRow {
  seq: number;
  server_id: string;
  idempotency_key: string;
  status: string;
  reason: string | null;
  document_number: string | null;
  child_id_number: string | null;
  at: number;
}
