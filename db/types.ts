/**
 * The public shapes of the store (see `db/index.ts`). Repositories are synchronous (better-sqlite3);
 * only `openStore` and the PIN functions (scrypt) are async.
 */
import type { DerivedRequest } from '../domain/bundle';
import type { RequestState, Service } from '../domain/codes';
import type { Registration, ServiceRequest } from '../domain/types';
import type { IntegrityResult } from './integrity';

/** Structured logger; the store logs names, counts and durations only, never row content. */
export interface StoreLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface StoreHealth {
  /** The last background integrity check (db/integrity.ts), null while none has run. */
  integrity: IntegrityResult | null;
  schemaVersion: number;
  sizeBytes: number;
  walBytes: number;
}

/** Who confirmed an action and when (desk time the clerk confirmed it; defaults to the store's `now()`). */
export interface AuditContext {
  actor: string;
  /** The time the clerk stated (kept as `details.statedAt`); the audit time is always the store clock. */
  at?: string;
}

export type AuditDetails = Record<string, unknown>;

export interface AuditEventInput extends AuditContext {
  action: string;
  subjectId?: string | null;
  /** Ids, codes, counts and states only: never ID numbers, names or phones (checked). */
  details?: AuditDetails;
}

export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectId: string | null;
  details: AuditDetails;
  prevHash: string;
  hash: string;
}

export type AuditChainResult =
  | { ok: true; count: number }
  | { ok: false; firstBrokenId: string; firstBrokenSeq: number; reason: string; count: number };

/** What `deriveRequests()` produces for one registration: the domain's own type. */
export type { DerivedRequest };

export interface SubmitInput {
  registration: Registration;
  requests: DerivedRequest[];
  actor: string;
  /** Desk time the clerk confirmed the submit (defaults to now). */
  /** The time the clerk stated (kept as `details.statedAt`); the audit time is always the store clock. */
  at?: string;
}

/** A stored request: the domain shape plus the store's bookkeeping. */
export interface StoredRequest extends ServiceRequest {
  revision: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
}

export interface SubmitResult {
  /** false when this registration id was already stored with the same content (nothing written). */
  created: boolean;
  registration: Registration;
  requests: StoredRequest[];
}

export interface SearchQuery {
  /** Exact, either parent (spaces ignored, case-insensitive). */
  parentDocNumber?: string;
  /** The last 6 characters of either parent's ID number (issue 12), from an expression index. */
  parentDocTail?: string;
  /** Prefix of the mother's, father's or child's name (spaces ignored, case-insensitive). */
  name?: string;
  /** Exact, any phone on the registration (digits only compared; +86 ignored). */
  phone?: string;
  /** Prefix of the registration (bundle) id, at least 4 characters. */
  registrationId?: string;
  /** Medical Certificate of Birth number: the documentNumber of the birth_certificate request. */
  birthCertificateNumber?: string;
  /** UTC instants: createdFrom inclusive, createdTo exclusive. */
  createdFrom?: string;
  createdTo?: string;
  /** Desk-local dates YYYY-MM-DD, both inclusive. */
  birthFrom?: string;
  birthTo?: string;
  /** Registrations with at least one request in one of these states. */
  states?: RequestState[];
  /** 1..100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface RequestSummary {
  id: string;
  service: Service;
  state: RequestState;
  documentNumber: string | null;
}

export interface RegistrationSummary {
  id: string;
  createdAt: string;
  hospitalCode: string;
  deskId: string;
  clerkId: string;
  childName: string | null;
  childBirthDateTime: string;
  plurality: number;
  birthOrder: number;
  motherName: string;
  fatherName: string | null;
  requests: RequestSummary[];
}

export interface SearchPage {
  items: RegistrationSummary[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface DuplicateQuery {
  motherDocType: string;
  motherDocNumber: string;
  /** The new child's birth time, desk-local `YYYY-MM-DDTHH:mm`. */
  childBirthDateTime: string;
  plurality: number;
  birthOrder: number;
  /** Leave this registration out (the one being edited/submitted). */
  excludeRegistrationId?: string;
  /** Default 270. */
  windowDays?: number;
  /** Births of one multiple delivery lie within this many hours of each other (default 24). */
  sameDeliveryHours?: number;
}

export interface DuplicateMatch {
  registrationId: string;
  childBirthDateTime: string;
  plurality: number;
  birthOrder: number;
  createdAt: string;
  /** True when both are recorded as one multiple delivery but with the same birth order (the same twin twice). */
  sameDelivery: boolean;
}

export interface RequestPatch {
  state?: RequestState;
  attempts?: number;
  nextAttemptAt?: string | null;
  lastError?: string | null;
  leaseOwner?: string | null;
  leaseUntil?: string | null;
  serverId?: string | null;
  serverStatus?: string | null;
  reason?: string | null;
  documentNumber?: string | null;
}

export interface TransitionAudit extends AuditContext {
  /** Default `request.transition`. */
  action?: string;
  details?: AuditDetails;
}

export type StaffRole = 'clerk' | 'supervisor' | 'admin';

export interface StaffInput {
  staffId: string;
  displayName: string;
  role: StaffRole;
  pin: string;
}

export interface Staff {
  staffId: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
  failedAttempts: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export type PinResult =
  /** `pinChangeRequired`: the PIN is shorter than a new PIN may be (a 4-digit PIN from before issue 13); `unrecorded`: the disk is full, the sign-in could not be written to the audit trail. */
  | { result: 'ok'; staff: Staff; pinChangeRequired?: boolean; unrecorded?: boolean }
  | { result: 'bad_pin'; attemptsLeft: number }
  | { result: 'locked'; until: string }
  | { result: 'unknown' };

export interface Draft {
  registrationId: string;
  doc: Record<string, unknown>;
  actor: string;
  createdAt: string;
  updatedAt: string;
}

export interface DraftSummary {
  registrationId: string;
  actor: string;
  createdAt: string;
  updatedAt: string;
}

export interface LockoutPolicy {
  /** Failures before the account locks (default 5). */
  maxFailures: number;
  /** How long the first lock lasts (default 5 minutes); each further lock without a good sign-in in between doubles it. */
  lockMs: number;
  /** The longest lock (default 24 hours). */
  maxLockMs: number;
}
