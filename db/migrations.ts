/**
 * Forward-only numbered migrations. Ids increase by one from 1; a shipped migration is never edited
 * (its SHA-256 is recorded when applied and checked on every start) — add a new one instead.
 * Kept as a TS array rather than `.sql` files so the packaged app (asar, bundled main) needs no file lookup.
 * Each migration's SQL is a plain literal: nothing is interpolated from domain/ (a CHECK list built from
 * `SERVICES` would change its checksum the day a service is added, and lock every installed desk out).
 * A domain list that grows gets a NEW migration; db/migrations-frozen.test.ts notices the drift.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: '0001_init',
    sql: `
-- One row per submitted registration: the JSON document plus normalised lookup columns beside it.
CREATE TABLE registrations (
  seq              INTEGER PRIMARY KEY,
  id               TEXT    NOT NULL UNIQUE,
  doc              TEXT    NOT NULL CHECK (json_valid(doc)),
  content_hash     TEXT    NOT NULL,
  hospital_code    TEXT    NOT NULL,
  desk_id          TEXT    NOT NULL,
  clerk_id         TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,           -- UTC ISO instant (sorts as text)
  child_birth      TEXT    NOT NULL,           -- desk-local YYYY-MM-DDTHH:mm
  child_birth_min  INTEGER NOT NULL,           -- the same, minutes since 1970 (for windows)
  plurality        INTEGER NOT NULL,
  birth_order      INTEGER NOT NULL,
  mother_doc_type  TEXT    NOT NULL,
  mother_doc_no    TEXT    NOT NULL,           -- upper-case, no spaces
  father_doc_type  TEXT,
  father_doc_no    TEXT,
  mother_name_key  TEXT    NOT NULL,           -- NFKC, lower-case, no spaces
  father_name_key  TEXT,
  child_name_key   TEXT,
  mother_phone     TEXT,                       -- digits only
  father_phone     TEXT,
  guardian_phone   TEXT
) STRICT;
CREATE INDEX registrations_created ON registrations (created_at);
CREATE INDEX registrations_mother_doc ON registrations (mother_doc_no, mother_doc_type, child_birth_min);
CREATE INDEX registrations_father_doc ON registrations (father_doc_no) WHERE father_doc_no IS NOT NULL;
CREATE INDEX registrations_mother_name ON registrations (mother_name_key);
CREATE INDEX registrations_father_name ON registrations (father_name_key) WHERE father_name_key IS NOT NULL;
CREATE INDEX registrations_child_name ON registrations (child_name_key) WHERE child_name_key IS NOT NULL;
CREATE INDEX registrations_child_birth ON registrations (child_birth);

CREATE TABLE service_requests (
  id               TEXT    PRIMARY KEY,
  registration_id  TEXT    NOT NULL REFERENCES registrations (id),
  service          TEXT    NOT NULL CHECK (service IN ('birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration', 'citizen_card')),
  jurisdiction     TEXT    NOT NULL,
  depends_on       TEXT    NOT NULL CHECK (json_valid(depends_on) AND json_type(depends_on) = 'array'),
  payload          TEXT    NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  idempotency_key  TEXT    NOT NULL UNIQUE,
  revision         INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
  state            TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'in_review', 'approved', 'issued', 'rejected', 'needs_info', 'held')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT,
  last_error       TEXT,
  server_id        TEXT,
  server_status    TEXT,
  reason           TEXT,
  document_number  TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  UNIQUE (registration_id, service)
) STRICT;
CREATE INDEX service_requests_document ON service_requests (document_number, service) WHERE document_number IS NOT NULL;
CREATE INDEX service_requests_state ON service_requests (state, registration_id);

CREATE TABLE drafts (
  registration_id  TEXT    PRIMARY KEY,
  doc              TEXT    NOT NULL CHECK (json_valid(doc)),
  actor            TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
) STRICT;
CREATE INDEX drafts_updated ON drafts (updated_at);

CREATE TABLE settings (
  key              TEXT    PRIMARY KEY,
  value            TEXT    NOT NULL CHECK (json_valid(value)),
  updated_at       TEXT    NOT NULL
) STRICT;
`,
  },
  {
    id: 2,
    name: '0002_audit_events',
    sql: `
-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonicalJSON(content)), seq gives the chain order.
CREATE TABLE audit_events (
  seq              INTEGER PRIMARY KEY,
  id               TEXT    NOT NULL UNIQUE,
  at               TEXT    NOT NULL,
  actor            TEXT    NOT NULL,
  action           TEXT    NOT NULL,
  subject_id       TEXT,
  details          TEXT    NOT NULL CHECK (json_valid(details)),
  prev_hash        TEXT    NOT NULL,
  hash             TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_events_subject ON audit_events (subject_id) WHERE subject_id IS NOT NULL;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
`,
  },
  {
    id: 3,
    name: '0003_staff',
    sql: `
CREATE TABLE staff (
  staff_id         TEXT    PRIMARY KEY,
  display_name     TEXT    NOT NULL,
  role             TEXT    NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
  pin_hash         TEXT    NOT NULL,           -- scrypt$N$r$p$salt$hash (base64)
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  locked_until     TEXT,
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
) STRICT;
`,
  },
  {
    id: 4,
    name: '0004_sync_leases',
    sql: `
-- Ready for the sync engine (db/sync-repo.ts): leases on requests, due-queue index, status feed cursor.
ALTER TABLE service_requests ADD COLUMN lease_owner TEXT;
ALTER TABLE service_requests ADD COLUMN lease_until TEXT;
CREATE INDEX service_requests_due ON service_requests (state, next_attempt_at);
CREATE INDEX service_requests_server_id ON service_requests (server_id) WHERE server_id IS NOT NULL;
CREATE TABLE sync_state (
  feed             TEXT    PRIMARY KEY,
  cursor           TEXT,
  updated_at       TEXT    NOT NULL
) STRICT;
`,
  },
  {
    id: 5,
    name: '0005_phone_lookup',
    sql: `
-- Search by any phone on the registration (mother, father, guardian).
CREATE INDEX registrations_mother_phone ON registrations (mother_phone) WHERE mother_phone IS NOT NULL;
CREATE INDEX registrations_father_phone ON registrations (father_phone) WHERE father_phone IS NOT NULL;
CREATE INDEX registrations_guardian_phone ON registrations (guardian_phone) WHERE guardian_phone IS NOT NULL;
`,
  },
  {
    id: 6,
    name: '0006_registration_docs',
    sql: `
-- Keep the searched table small (lookup columns only, ~250 bytes a row, so it stays in the page cache):
-- the JSON document and its content hash move to their own table, read only for the rows shown.
CREATE TABLE registration_docs (
  seq              INTEGER PRIMARY KEY REFERENCES registrations (seq),
  content_hash     TEXT    NOT NULL,
  doc              TEXT    NOT NULL CHECK (json_valid(doc))
) STRICT;
INSERT INTO registration_docs (seq, content_hash, doc) SELECT seq, content_hash, doc FROM registrations;
ALTER TABLE registrations DROP COLUMN doc;
ALTER TABLE registrations DROP COLUMN content_hash;
-- "Has a request in state X" for one registration, answered from the index alone; requests by state
-- are found through service_requests_due (state, next_attempt_at), so (state, registration_id) goes.
CREATE INDEX service_requests_registration_state ON service_requests (registration_id, state);
DROP INDEX service_requests_state;
`,
  },
  {
    id: 7,
    name: '0007_birth_range_covering',
    sql: `
-- Birth-date ranges (often with a name) are answered from the index alone: names and the sort key ride along.
DROP INDEX registrations_child_birth;
CREATE INDEX registrations_child_birth ON registrations (child_birth, created_at, mother_name_key, father_name_key, child_name_key);
`,
  },
  {
    id: 8,
    name: '0008_request_summary_covering',
    sql: `
-- The request summaries of a search page (and "has a request in state X") from the index alone.
DROP INDEX service_requests_registration_state;
CREATE INDEX service_requests_registration_state ON service_requests (registration_id, state, service, document_number, id);
`,
  },
  {
    id: 9,
    name: '0009_doc_number_tail',
    sql: `
-- Issue 12: search by the last 6 characters of a parent's ID number (what a family reads out), from an index.
CREATE INDEX registrations_mother_doc_tail ON registrations (substr(mother_doc_no, -6));
CREATE INDEX registrations_father_doc_tail ON registrations (substr(father_doc_no, -6));
`,
  },
  {
    id: 10,
    name: '0010_queue_indexes',
    sql: `
-- Issue 14: nothing looks a request up by the city's id, yet this index was written on every accept.
DROP INDEX service_requests_server_id;
-- The claim takes queued, due requests oldest first: this partial index holds the queued rows in creation
-- order with their due time, so a claim reads index entries until it has its batch and fetches only the rows it
-- takes (ORDER BY created_at over every due row, payloads and all, was 84 ms a claim at 10,000 queued).
CREATE INDEX service_requests_queue ON service_requests (created_at, next_attempt_at) WHERE state = 'queued';
`,
  },
  {
    id: 11,
    name: '0011_shared_payload_head',
    sql: `
-- Issue 14: the five payloads of a bundle repeat the same leading members (who files, mother, father, child). That
-- head is stored once per registration; a request whose payload starts with it stores only the rest, as a JSON
-- object, with payload_shared = 1 (db/payload-share.ts: payload = head || substr(rest, 2), the same bytes).
-- Rows already stored keep their whole payload (payload_shared = 0).
-- The head has a table of its own: beside the document (about 1.6 KB) a 2.2 KB row left one row per 4 KiB page,
-- the rest of the page empty (40 % of a database after sync).
CREATE TABLE payload_heads (
  seq              INTEGER PRIMARY KEY REFERENCES registrations (seq),
  head             TEXT    NOT NULL
) STRICT;
-- No CHECK on the new column: SQLite would test every existing row (a 24 s first open at 200,000 registrations,
-- on a cold file cache); without one adding it changes only the schema. Only db/ writes it, 0 or 1.
ALTER TABLE service_requests ADD COLUMN payload_shared INTEGER NOT NULL DEFAULT 0;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.id;
