/**
 * The desk's wire schemas (wire.ts) against the generated contract (`city-api/generated/`, from openapi.yaml):
 * the desk's tightened schemas keep every property and required field of the generated ones, what the engine
 * sends — built from real derived requests — is a valid BatchRequest, and answers the contract allows are
 * understood (the YAML itself is checked against real simulator answers in city-api/contract.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deriveRequests } from '../../domain/bundle';
import { sampleRegistration } from '../../domain/fixtures';
import * as generated from '../../city-api/generated/zod.gen';
import {
  BatchItemResultSchema,
  BatchRequestSchema,
  CITY_MAX_BATCH_BYTES,
  CITY_MAX_BATCH_ITEMS,
  CITY_MAX_FEED_LIMIT,
  PATHS,
  StatusUpdateSchema,
  StatusUpdatesEnvelopeSchema,
  TokenResponseSchema,
  encodeBatchItem,
  type BatchItem,
} from './wire';

const here = path.dirname(fileURLToPath(import.meta.url));
const yamlText = readFileSync(path.join(here, '../../city-api/openapi.yaml'), 'utf8');

type Json = { properties?: Record<string, unknown>; required?: string[] };
const skeleton = (s: z.ZodType) => {
  const j = z.toJSONSchema(s, { io: 'input' }) as Json;
  return { properties: Object.keys(j.properties ?? {}).sort(), required: [...(j.required ?? [])].sort() };
};

function engineItems(): BatchItem[] {
  const reg = sampleRegistration();
  return deriveRequests(reg, { hospitalDistrict: '330302', newId: uuidv7 }).map((r) => ({
    idempotencyKey: r.idempotencyKey,
    requestId: r.id,
    registrationId: reg.id,
    service: r.service,
    jurisdiction: r.jurisdiction,
    payload: r.payload,
  }));
}

describe('core/sync/wire.ts ⇔ the generated contract', () => {
  const pairs: Array<[string, z.ZodType, z.ZodType]> = [
    ['TokenResponse', TokenResponseSchema, generated.zTokenResponse],
    ['BatchItemResult', BatchItemResultSchema, generated.zBatchItemResult],
    ['StatusUpdate', StatusUpdateSchema, generated.zStatusUpdate],
    ['StatusUpdatesResponse', StatusUpdatesEnvelopeSchema, generated.zStatusUpdatesResponse],
  ];
  for (const [name, desk, contract] of pairs) {
    it(`${name}: the desk's tightened schema has the contract's properties and required fields`, () => {
      expect(skeleton(desk)).toEqual(skeleton(contract));
    });
  }

  it('paths, protocol header and bounds the client relies on are the documented ones', () => {
    for (const p of Object.values(PATHS)) expect(yamlText).toContain(`  ${p}:`);
    expect(yamlText).toContain('X-Client-Protocol');
    expect([CITY_MAX_BATCH_ITEMS, CITY_MAX_FEED_LIMIT]).toEqual([100, 500]);
    expect(yamlText).toContain(`${CITY_MAX_BATCH_BYTES.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} bytes`);
  });

  it('what the engine sends (real derived requests) is a valid BatchRequest, and its text encoding parses to exactly the item', () => {
    const body = { items: engineItems() };
    expect(body.items.length).toBeGreaterThanOrEqual(4);
    expect(BatchRequestSchema.safeParse(body).success).toBe(true);
    for (const item of body.items) {
      const text = encodeBatchItem({ ...item, id: item.requestId, payloadJson: JSON.stringify(item.payload) });
      expect(JSON.parse(text)).toEqual(item);
      expect(generated.zBatchItem.safeParse(JSON.parse(text)).success).toBe(true);
    }
    const token = { grant_type: 'client_credentials', client_id: 'H330302001:desk-01', client_secret: 's' };
    expect(generated.zTokenRequest.safeParse(token).success).toBe(true);
  });

  it('answers the contract allows are understood, unknown outcomes and absurd sizes are refused', () => {
    const result = { idempotencyKey: 'r:vaccination:1', outcome: 'duplicate', serverId: 'CS-1', status: 'in_review' };
    expect(BatchItemResultSchema.safeParse(result).success).toBe(true);
    expect(BatchItemResultSchema.safeParse({ ...result, outcome: 'probably' }).success).toBe(false);
    expect(BatchItemResultSchema.safeParse({ ...result, serverId: 'x'.repeat(129) }).success).toBe(false);
    const update = { seq: 3, serverId: 'CS-1', idempotencyKey: 'k', status: 'issued', documentNumber: 'B123456789', at: '2026-03-15T02:00:00.000Z' };
    expect(StatusUpdateSchema.safeParse(update).success).toBe(true);
    expect(StatusUpdateSchema.safeParse({ ...update, at: '2026-03-15T10:00:00+08:00' }).success).toBe(true);
    expect(StatusUpdateSchema.safeParse({ ...update, documentNumber: 'x'.repeat(41) }).success).toBe(false);
    expect(StatusUpdatesEnvelopeSchema.safeParse({ updates: [update], nextCursor: 'Mw', hasMore: false }).success).toBe(true);
  });
});
