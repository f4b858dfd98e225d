/**
 * The desk's side of the city API wire contract (`city-api/openapi.yaml`): constants and zod schemas the sync
 * engine builds requests with and checks answers against. core/ may not import city-api/ (layout rule), so
 * these are the client's own copy; `wire.test.ts` compares them with the YAML's named component schemas
 * (properties, required, enums) and validates what the client sends with ajv, so the two never drift.
 *
 * The answer schemas are deliberately a little stricter in size than the contract (ids, numbers and reasons
 * have lengths here): a hostile or broken answer is refused item by item instead of landing in the database.
 */
import { z } from 'zod';

export const PROTOCOL_HEADER = 'X-Client-Protocol';
/** The protocol version this desk speaks. */
export const CLIENT_PROTOCOL = 1;

export const PATHS = {
  token: '/v1/oauth/token',
  batch: '/v1/requests:batch',
  statusUpdates: '/v1/status-updates',
} as const;

/** The city's bounds (openapi.yaml info): a batch has at most 100 items and 1 MiB of body. */
export const CITY_MAX_BATCH_ITEMS = 100;
export const CITY_MAX_BATCH_BYTES = 1024 * 1024;
export const CITY_MAX_FEED_LIMIT = 500;

export const WIRE_SERVICES = ['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration', 'citizen_card'] as const;
export const WIRE_DISTRICTS = [
  '330302', '330303', '330304', '330305', '330324', '330326',
  '330327', '330328', '330329', '330381', '330382', '330383',
] as const;
export const WIRE_SERVER_STATUSES = ['received', 'in_review', 'approved', 'issued', 'rejected', 'needs_info'] as const;
export type WireServerStatus = (typeof WIRE_SERVER_STATUSES)[number];
export const WIRE_OUTCOMES = ['accepted', 'duplicate', 'rejected', 'conflict'] as const;

const KEY_PATTERN = /^[A-Za-z0-9._:~-]{1,128}$/;

export const FieldErrorSchema = z.object({
  path: z.string().max(200),
  code: z.string().max(100),
  message: z.string().max(2000),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProtocolRangeSchema = z.object({ min: z.number().int().min(1), max: z.number().int().min(1) });

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(100).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
  supportedProtocols: ProtocolRangeSchema.optional(),
  error: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const TokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().regex(/^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_.-]{1,32}$/),
  client_secret: z.string().min(1).max(256),
});

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1).max(4096),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().min(1),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const ServiceSchema = z.enum(WIRE_SERVICES);
export const DistrictSchema = z.enum(WIRE_DISTRICTS);
export const ServerStatusSchema = z.enum(WIRE_SERVER_STATUSES);

export const BatchItemSchema = z.object({
  idempotencyKey: z.string().regex(KEY_PATTERN),
  requestId: z.string().min(1).max(64),
  registrationId: z.string().min(1).max(64),
  service: ServiceSchema,
  jurisdiction: DistrictSchema,
  payload: z.record(z.string(), z.unknown()),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

/**
 * A batch item as JSON text with the payload's stored JSON text embedded as is (no parse and re-encode per
 * request); parses to exactly the BatchItem.
 */
export function encodeBatchItem(r: {
  idempotencyKey: string;
  id: string;
  registrationId: string;
  service: string;
  jurisdiction: string;
  payloadJson: string;
}): string {
  return (
    `{"idempotencyKey":${JSON.stringify(r.idempotencyKey)},"requestId":${JSON.stringify(r.id)},"registrationId":${JSON.stringify(r.registrationId)},` +
    `"service":${JSON.stringify(r.service)},"jurisdiction":${JSON.stringify(r.jurisdiction)},"payload":${r.payloadJson}}`
  );
}

export const BatchRequestSchema = z.object({
  items: z.array(BatchItemSchema).min(1).max(CITY_MAX_BATCH_ITEMS),
});

export const BatchItemResultSchema = z.object({
  idempotencyKey: z.string().max(128),
  outcome: z.enum(WIRE_OUTCOMES),
  serverId: z.string().min(1).max(128).optional(),
  status: ServerStatusSchema.optional(),
  errors: z.array(FieldErrorSchema).max(100).optional(),
});
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

export const BatchResponseSchema = z.object({
  results: z.array(BatchItemResultSchema),
});

/** The envelope alone: items are checked one by one so one bad item does not sink the batch. */
export const BatchResponseEnvelopeSchema = z.object({ results: z.array(z.unknown()).max(CITY_MAX_BATCH_ITEMS) });

export const StatusUpdateSchema = z.object({
  seq: z.number().int().min(1),
  serverId: z.string().min(1).max(128),
  idempotencyKey: z.string().min(1).max(128),
  status: ServerStatusSchema,
  reason: z.string().max(4000).optional(),
  documentNumber: z.string().min(1).max(40).optional(),
  childIdNumber: z.string().min(1).max(40).optional(),
  at: z.string().datetime({ offset: true }),
});
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

export const StatusUpdatesResponseSchema = z.object({
  updates: z.array(StatusUpdateSchema),
  nextCursor: z.string(),
  hasMore: z.boolean(),
});

/** The envelope alone (updates checked one by one). */
export const StatusUpdatesEnvelopeSchema = z.object({
  updates: z.array(z.unknown()).max(CITY_MAX_FEED_LIMIT),
  nextCursor: z.string().min(1).max(512),
  hasMore: z.boolean(),
});

/** Every schema here that has a same-named component in openapi.yaml (wire.test.ts walks this). */
export const WIRE_SCHEMAS = {
  FieldError: FieldErrorSchema,
  ProtocolRange: ProtocolRangeSchema,
  Problem: ProblemSchema,
  TokenRequest: TokenRequestSchema,
  TokenResponse: TokenResponseSchema,
  Service: ServiceSchema,
  District: DistrictSchema,
  ServerStatus: ServerStatusSchema,
  BatchItem: BatchItemSchema,
  BatchRequest: BatchRequestSchema,
  BatchItemResult: BatchItemResultSchema,
  BatchResponse: BatchResponseSchema,
  StatusUpdate: StatusUpdateSchema,
  StatusUpdatesResponse: StatusUpdatesResponseSchema,
} as const;
