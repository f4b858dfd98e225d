/**
 * The city API's wire contract in TypeScript: constants, zod schemas and inferred types. It mirrors the
 * component schemas of `openapi.yaml` one for one (same names), and `contract.test.ts` fails when they drift.
 *
 * The desk's sync engine (core/sync) may copy or import these; the simulator (server.ts) answers with them.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------------

/** Request header every call carries: the client's protocol version (an integer). */
export const PROTOCOL_HEADER = 'X-Client-Protocol';
/** Protocol versions this contract describes. */
export const CURRENT_PROTOCOL = 1;

/** Bounds of `POST /v1/requests:batch` (over either → 413 problem). */
export const MAX_BATCH_ITEMS = 100;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** Bounds of `GET /v1/status-updates`. */
export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 500;

export const CITY_SERVICES = [
  'birth_certificate',
  'vaccination',
  'maternity_insurance',
  'household_registration',
  'citizen_card',
] as const;
export type CityService = (typeof CITY_SERVICES)[number];

/** The 12 county-level districts of Wenzhou (GB/T 2260 codes). */
export const CITY_DISTRICTS = [
  '330302', '330303', '330304', '330305', '330324', '330326',
  '330327', '330328', '330329', '330381', '330382', '330383',
] as const;
export type CityDistrict = (typeof CITY_DISTRICTS)[number];

/** Server-side statuses, in order: `received → in_review → approved | issued | rejected | needs_info`. */
export const SERVER_STATUSES = ['received', 'in_review', 'approved', 'issued', 'rejected', 'needs_info'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];
/** Rank of each status: a status update never lowers it. */
export const SERVER_STATUS_RANK: Record<ServerStatus, number> = {
  received: 0,
  in_review: 1,
  approved: 2,
  issued: 2,
  rejected: 2,
  needs_info: 2,
};
export const FINAL_SERVER_STATUSES: readonly ServerStatus[] = ['approved', 'issued', 'rejected', 'needs_info'];

export const BATCH_OUTCOMES = ['accepted', 'duplicate', 'rejected', 'conflict'] as const;
export type BatchOutcome = (typeof BATCH_OUTCOMES)[number];

/** `type` URIs of the problems the API answers with (RFC 9457). */
export const PROBLEM_BASE = 'https://city-api.newborn-desk.example/problems/';
export const PROBLEM_TYPES = {
  missingProtocol: `${PROBLEM_BASE}missing-protocol`,
  unsupportedProtocol: `${PROBLEM_BASE}unsupported-protocol`,
  invalidRequest: `${PROBLEM_BASE}invalid-request`,
  invalidClient: `${PROBLEM_BASE}invalid-client`,
  invalidToken: `${PROBLEM_BASE}invalid-token`,
  payloadTooLarge: `${PROBLEM_BASE}payload-too-large`,
  unsupportedMediaType: `${PROBLEM_BASE}unsupported-media-type`,
  rateLimited: `${PROBLEM_BASE}rate-limited`,
  unavailable: `${PROBLEM_BASE}unavailable`,
  internal: `${PROBLEM_BASE}internal`,
  notFound: `${PROBLEM_BASE}not-found`,
  methodNotAllowed: `${PROBLEM_BASE}method-not-allowed`,
} as const;

/** `client_id` is `<hospitalCode>:<deskId>`. */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_.-]{1,32}$';
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:~-]{1,128}$';
/** `documentNumber` of an issued Medical Certificate of Birth. */
export const BIRTH_CERTIFICATE_PATTERN = '^[A-Z]\\d{9}$';

/** Encode / decode the opaque feed cursor (base64url of the last seq). Clients must treat it as opaque. */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,24}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^(0|[1-9]\d{0,15})$/.test(text)) return null;
  return Number(text);
}

// ---------------------------------------------------------------------------------------------------------
// Schemas (names = openapi.yaml component names)
// ---------------------------------------------------------------------------------------------------------

export const FieldErrorSchema = z.object({
  /** Where: dotted path into the item, e.g. `payload.mother.docNumber`, `items[3].idempotencyKey`. */
  path: z.string(),
  /** Which rule, machine-readable, e.g. `invalid_check_digit`, `required`, `unknown_birth_certificate`. */
  code: z.string(),
  /** What to do, in words. */
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProtocolRangeSchema = z.object({
  min: z.number().int().min(1),
  max: z.number().int().min(1),
});
export type ProtocolRange = z.infer<typeof ProtocolRangeSchema>;

/** RFC 9457 problem details (plus the extension members this API uses). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(100).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
  /** On 426: the protocol versions this server supports. */
  supportedProtocols: ProtocolRangeSchema.optional(),
  /** On token errors: the RFC 6749 error code (`invalid_client`, `invalid_request`, `unsupported_grant_type`). */
  error: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const TokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().regex(new RegExp(CLIENT_ID_PATTERN)),
  client_secret: z.string().min(1).max(256),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.literal('Bearer'),
  /** Lifetime in seconds. */
  expires_in: z.number().int().min(1),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const ServiceSchema = z.enum(CITY_SERVICES);
export const DistrictSchema = z.enum(CITY_DISTRICTS);
export const ServerStatusSchema = z.enum(SERVER_STATUSES);

export const BatchItemSchema = z.object({
  /** The client's idempotency key: the same key with the same content is stored once. */
  idempotencyKey: z.string().regex(new RegExp(IDEMPOTENCY_KEY_PATTERN)),
  /** The desk's ServiceRequest id. */
  requestId: z.string().min(1).max(64),
  /** The desk's Registration id (the "one issue"). */
  registrationId: z.string().min(1).max(64),
  service: ServiceSchema,
  /** District the request is routed to. */
  jurisdiction: DistrictSchema,
  /** The service's own payload; unknown fields are accepted and ignored. */
  payload: z.record(z.string(), z.unknown()),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

export const BatchRequestSchema = z.object({
  items: z.array(BatchItemSchema).min(1).max(MAX_BATCH_ITEMS),
});
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

export const BatchItemResultSchema = z.object({
  idempotencyKey: z.string(),
  outcome: z.enum(BATCH_OUTCOMES),
  /** Present for `accepted` and `duplicate`. */
  serverId: z.string().optional(),
  /** Present for `accepted` (`received`) and `duplicate` (the current status). */
  status: ServerStatusSchema.optional(),
  /** Present for `rejected` (field errors) and `conflict` (why). */
  errors: z.array(FieldErrorSchema).optional(),
});
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

export const BatchResponseSchema = z.object({
  /** One result per item, in the order of the request. */
  results: z.array(BatchItemResultSchema),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

export const StatusUpdateSchema = z.object({
  /** Position in the feed, strictly increasing. */
  seq: z.number().int().min(1),
  serverId: z.string(),
  idempotencyKey: z.string(),
  status: ServerStatusSchema,
  /** Why (for `rejected` and `needs_info`). */
  reason: z.string().optional(),
  /** What the city issued: certificate number, vaccination record number, claim id, child's ID number, card number. */
  documentNumber: z.string().optional(),
  /** For household registration: the child's citizen ID number (also in `documentNumber`). */
  childIdNumber: z.string().optional(),
  /** When the transition happened (server clock), RFC 3339. */
  at: z.string().datetime({ offset: true }),
});
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

export const StatusUpdatesResponseSchema = z.object({
  updates: z.array(StatusUpdateSchema),
  /** Pass as `since` next time; store it in the same transaction that applies `updates`. */
  nextCursor: z.string(),
  hasMore: z.boolean(),
});
export type StatusUpdatesResponse = z.infer<typeof StatusUpdatesResponseSchema>;

// --- simulator-only (admin) ------------------------------------------------------------------------------

const rate = z.number().min(0).max(1);
export const FaultsSchema = z.object({
  /** Added delay before every /v1 answer. */
  latencyMs: z.number().int().min(0).max(120_000),
  /** Share of /v1 calls answered 500 or 503 (503 with Retry-After), before anything is done. */
  errorRate: rate,
  /** Share of /v1 calls answered 429 with Retry-After, before anything is done. */
  rateLimitRate: rate,
  /** Share of batch calls whose items are committed and whose connection is then destroyed unanswered. */
  dropAfterCommitRate: rate,
  /** Share of /v1 calls answered 200 with a truncated JSON body (batch: after the commit). */
  malformedRate: rate,
  /** Share of authenticated calls answered 401 although the token is valid. */
  tokenEarlyExpiryRate: rate,
  /** Every /v1 connection is destroyed (open ones at once, new ones on arrival); /admin still answers. */
  offline: z.boolean(),
  /** Retry-After (seconds) on injected 429 and 503. */
  retryAfterSec: z.number().int().min(0).max(3600),
  /** Offset of the `Date` header from the simulator's wall clock (to exercise the client's drift check). */
  clockSkewMs: z.number().int(),
  /** Seed of the fault PRNG; setting it restarts the sequence. */
  seed: z.number().int().min(0).max(0xffffffff),
});
export type Faults = z.infer<typeof FaultsSchema>;
export const FaultsPatchSchema = FaultsSchema.partial().strict();
export type FaultsPatch = z.infer<typeof FaultsPatchSchema>;

export const StoredRequestSchema = z.object({
  serverId: z.string(),
  idempotencyKey: z.string(),
  hospitalCode: z.string(),
  deskId: z.string(),
  requestId: z.string(),
  registrationId: z.string(),
  service: ServiceSchema,
  jurisdiction: DistrictSchema,
  status: ServerStatusSchema,
  reason: z.string().optional(),
  documentNumber: z.string().optional(),
  childIdNumber: z.string().optional(),
  /** How many times the key was submitted with this content (1 = once; more = duplicates answered). */
  intakeCount: z.number().int().min(1),
  /** How many times the key came back with different content (answered `conflict`, nothing changed). */
  conflictCount: z.number().int().min(0),
  receivedAt: z.string().datetime({ offset: true }),
  updatedAt: z.string().datetime({ offset: true }),
});
export type StoredRequest = z.infer<typeof StoredRequestSchema>;

export const AdminRequestsResponseSchema = z.object({
  requests: z.array(StoredRequestSchema),
});
export type AdminRequestsResponse = z.infer<typeof AdminRequestsResponseSchema>;

export const AdvanceRequestSchema = z.object({
  ms: z.number().int().min(0).max(10 * 365 * 86_400_000),
});
export type AdvanceRequest = z.infer<typeof AdvanceRequestSchema>;

export const AdvanceResponseSchema = z.object({
  /** The simulator's business clock after the move, RFC 3339. */
  now: z.string().datetime({ offset: true }),
  /** Status transitions applied by the move. */
  transitions: z.number().int().min(0),
});
export type AdvanceResponse = z.infer<typeof AdvanceResponseSchema>;

/** Every schema that has a same-named component in openapi.yaml (contract.test.ts walks this). */
export const CONTRACT_SCHEMAS = {
  FieldError: FieldErrorSchema,
  ProtocolRange: ProtocolRangeSchema,
  Service: ServiceSchema,
  District: DistrictSchema,
  ServerStatus: ServerStatusSchema,
  Problem: ProblemSchema,
  TokenRequest: TokenRequestSchema,
  TokenResponse: TokenResponseSchema,
  BatchItem: BatchItemSchema,
  BatchRequest: BatchRequestSchema,
  BatchItemResult: BatchItemResultSchema,
  BatchResponse: BatchResponseSchema,
  StatusUpdate: StatusUpdateSchema,
  StatusUpdatesResponse: StatusUpdatesResponseSchema,
  Faults: FaultsSchema,
  FaultsPatch: FaultsPatchSchema,
  StoredRequest: StoredRequestSchema,
  AdminRequestsResponse: AdminRequestsResponseSchema,
  AdvanceRequest: AdvanceRequestSchema,
  AdvanceResponse: AdvanceResponseSchema,
} as const;
