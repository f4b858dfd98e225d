/**
 * The desk's side of the city API wire contract. The shapes come from `city-api/openapi.yaml` through the
 * generated zod schemas (`city-api/generated/`, `npm run gen:wire`); what is left here is what the YAML cannot
 * say: the paths and the protocol the desk speaks, the byte bound (prose in the YAML), the item encoding, and
 * the desk's own defensive limits on answers: a hostile or broken answer (huge ids, numbers or reasons, offset
 * date-times the generator does not accept) is refused item by item instead of landing in the database.
 */
import { z } from 'zod';
import type { BatchItem, BatchItemResult, FieldError, Problem, ServerStatus, StatusUpdate, TokenResponse } from '../../city-api/generated';
import * as wire from '../../city-api/generated/zod.gen';

export type { BatchItem, BatchItemResult, FieldError, Problem, StatusUpdate, TokenResponse };
export type WireServerStatus = ServerStatus;

export const PROTOCOL_HEADER = 'X-Client-Protocol';
/** The protocol version this desk speaks. */
export const CLIENT_PROTOCOL = 1;

export const PATHS = {
  token: '/v1/oauth/token',
  batch: '/v1/requests:batch',
  statusUpdates: '/v1/status-updates',
} as const;

const batchJson = z.toJSONSchema(wire.zBatchRequest) as unknown as { properties: { items: { maxItems: number } } };
const feedLimitJson = z.toJSONSchema(wire.zFeedLimit, { io: 'input' }) as unknown as { maximum: number };
/** The city's bounds: a batch has at most 100 items (BatchRequest) and 1 MiB of body (the YAML's prose). */
export const CITY_MAX_BATCH_ITEMS = batchJson.properties.items.maxItems;
export const CITY_MAX_BATCH_BYTES = 1024 * 1024;
export const CITY_MAX_FEED_LIMIT = feedLimitJson.maximum;

export const ProblemSchema = wire.zProblem;
export const TokenResponseSchema = wire.zTokenResponse.extend({ access_token: z.string().min(1).max(4096) });
export const BatchRequestSchema = wire.zBatchRequest;

const FieldErrorSchema = wire.zFieldError.extend({ path: z.string().max(200), code: z.string().max(100), message: z.string().max(2000) });

export const BatchItemResultSchema = wire.zBatchItemResult.extend({
  idempotencyKey: z.string().max(128),
  serverId: z.string().min(1).max(128).optional(),
  errors: z.array(FieldErrorSchema).max(100).optional(),
});

/** The envelope alone: items are checked one by one so one bad item does not sink the batch. */
export const BatchResponseEnvelopeSchema = z.object({ results: z.array(z.unknown()).max(CITY_MAX_BATCH_ITEMS) });

export const StatusUpdateSchema = wire.zStatusUpdate.extend({
  serverId: z.string().min(1).max(128),
  idempotencyKey: z.string().min(1).max(128),
  reason: z.string().max(4000).optional(),
  documentNumber: z.string().min(1).max(40).optional(),
  childIdNumber: z.string().min(1).max(40).optional(),
  /** RFC 3339 allows an offset (`format: date-time`); the generated schema only takes `Z`. */
  at: z.iso.datetime({ offset: true }),
});

/** The envelope alone (updates checked one by one). */
export const StatusUpdatesEnvelopeSchema = wire.zStatusUpdatesResponse.extend({
  updates: z.array(z.unknown()).max(CITY_MAX_FEED_LIMIT),
  nextCursor: z.string().min(1).max(512),
});

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
