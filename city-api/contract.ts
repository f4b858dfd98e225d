/**
 * The simulator's side of the city API wire contract. The shapes (types and zod schemas) are generated from
 * `openapi.yaml` into `generated/` (`npm run gen:wire`; `npm test` fails when they are stale) and re-exported
 * here under their component names; the code tables are domain/codes.ts. What is left is what the YAML cannot
 * say in a schema: the problem `type` URIs, the 1 MiB body bound, the status order and the cursor encoding.
 */
import { z } from 'zod';
import type { ServerStatus } from './generated';
import * as wire from './generated/zod.gen';

export type * from './generated';

// ---------------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------------

/** Request header every call carries: the client's protocol version (an integer). */
export const PROTOCOL_HEADER = 'X-Client-Protocol';
/** Protocol versions this contract describes (the YAML's `info.version`). */
export const CURRENT_PROTOCOL = 1;

const batchJson = z.toJSONSchema(wire.zBatchRequest) as unknown as { properties: { items: { maxItems: number } } };
const feedLimitJson = z.toJSONSchema(wire.zFeedLimit, { io: 'input' }) as unknown as { maximum: number; default: number };
/** Bounds of `POST /v1/requests:batch` (over either → 413 problem); the byte bound is only in the YAML's prose. */
export const MAX_BATCH_ITEMS = batchJson.properties.items.maxItems;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** Bounds of `GET /v1/status-updates` (its `limit` parameter, the FeedLimit schema). */
export const DEFAULT_FEED_LIMIT = feedLimitJson.default;
export const MAX_FEED_LIMIT = feedLimitJson.maximum;

/** Rank of each status: a status update never lowers it (`received → in_review → approved | issued | rejected | needs_info`). */
export const SERVER_STATUS_RANK: Record<ServerStatus, number> = {
  received: 0,
  in_review: 1,
  approved: 2,
  issued: 2,
  rejected: 2,
  needs_info: 2,
};

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
// Schemas (the generated ones, under the names the simulator uses)
// ---------------------------------------------------------------------------------------------------------

export const ClientIdSchema = wire.zTokenRequest.shape.client_id;
export const IdempotencyKeySchema = wire.zBatchItem.shape.idempotencyKey;
export const ProblemSchema = wire.zProblem;
export const TokenResponseSchema = wire.zTokenResponse;
export const BatchResponseSchema = wire.zBatchResponse;
export const StatusUpdatesResponseSchema = wire.zStatusUpdatesResponse;
export const FaultsSchema = wire.zFaults;
/** The YAML's `additionalProperties: false` (the generator leaves objects open): unknown fault names are refused. */
export const FaultsPatchSchema = wire.zFaultsPatch.strict();
export const AdminRequestsResponseSchema = wire.zAdminRequestsResponse;
export const AdvanceRequestSchema = wire.zAdvanceRequest;
