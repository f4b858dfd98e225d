/**
 * The desk's wire schemas (wire.ts) against the contract document `city-api/openapi.yaml` (read as a file: core/
 * may not import city-api/): same property names, required lists, types and enums for every named component
 * the client uses (bounds may be stricter on the client: it refuses absurd answers), and what the engine sends —
 * built from real derived requests — is valid against the YAML's own schemas (ajv, JSON Schema 2020-12).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { deriveRequests } from '../../domain/bundle';
import { sampleRegistration } from '../../domain/fixtures';
import {
  BatchItemResultSchema,
  BatchRequestSchema,
  CITY_MAX_BATCH_BYTES,
  CITY_MAX_BATCH_ITEMS,
  CITY_MAX_FEED_LIMIT,
  CLIENT_PROTOCOL,
  PATHS,
  StatusUpdatesResponseSchema,
  WIRE_SCHEMAS,
  encodeBatchItem,
  type BatchItem,
} from './wire';

type Json = Record<string, unknown>;
const here = path.dirname(fileURLToPath(import.meta.url));
const yamlText = readFileSync(path.join(here, '../../city-api/openapi.yaml'), 'utf8');
const doc = parseYaml(yamlText) as Json & { paths: Record<string, Json>; components: { schemas: Record<string, Json> } };

function resolve(node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  const name = node.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`dangling ${node.$ref}`);
  return resolve(target);
}

/** Names, required, types, enums and consts — not bounds. */
function skeleton(input: Json): Json {
  const s = resolve(input);
  const out: Json = {};
  if (s.type !== undefined) out.type = s.type;
  if (s.const !== undefined) out.const = s.const;
  if (Array.isArray(s.enum)) out.enum = [...(s.enum as unknown[])].map(String).sort();
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, Json>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, skeleton(v)]),
    );
    out.required = [...((s.required as string[] | undefined) ?? [])].sort();
  }
  if (s.items) out.items = skeleton(s.items as Json);
  // `{}` and `true` both mean "anything" (a payload record): only a constrained one is compared.
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const ap = skeleton(s.additionalProperties as Json);
    if (Object.keys(ap).length > 0) out.additionalProperties = ap;
  }
  return out;
}

function ajvFor(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const rootId = 'https://newborn-desk.example/city-components.json';
  ajv.addSchema({ $id: rootId, $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/')) });
  return ajv.getSchema(`${rootId}#/$defs/${name}`)!;
}

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

describe('core/sync/wire.ts ⇔ city-api/openapi.yaml', () => {
  for (const [name, schema] of Object.entries(WIRE_SCHEMAS)) {
    it(`${name}: same property names, required fields, types and enums as the YAML component`, () => {
      expect(doc.components.schemas, name).toHaveProperty(name);
      const fromZod = skeleton(z.toJSONSchema(schema as z.ZodType, { io: 'input' }) as Json);
      const fromYaml = skeleton(doc.components.schemas[name]!);
      expect(fromZod).toEqual(fromYaml);
    });
  }

  it('paths, protocol header and bounds the client relies on are the documented ones', () => {
    for (const p of Object.values(PATHS)) expect(doc.paths).toHaveProperty(p);
    expect(yamlText).toContain('X-Client-Protocol');
    expect(String((doc.info as Json).version)).toBe(String(CLIENT_PROTOCOL));
    expect(resolve(doc.components.schemas.BatchRequest!.properties as Json).items).toMatchObject({ maxItems: CITY_MAX_BATCH_ITEMS });
    expect(String((doc.info as Json).description)).toContain(`${CITY_MAX_BATCH_BYTES.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} bytes`);
    const limit = (doc.paths['/v1/status-updates'] as Json).get as Json;
    expect(JSON.stringify(limit)).toContain(`"maximum":${CITY_MAX_FEED_LIMIT}`);
  });

  it('what the engine sends (real derived requests) is a valid BatchRequest for the YAML and for zod', () => {
    const body = { items: engineItems() };
    expect(body.items.length).toBeGreaterThanOrEqual(4);
    const validate = ajvFor('BatchRequest');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(BatchRequestSchema.safeParse(body).success).toBe(true);
    const token = { grant_type: 'client_credentials', client_id: 'H330302001:desk-01', client_secret: 's' };
    expect(ajvFor('TokenRequest')(token)).toBe(true);
  });

  it('the engine\'s text encoding of an item (stored payload embedded as is) parses to exactly the item', () => {
    for (const item of engineItems()) {
      const text = encodeBatchItem({ ...item, id: item.requestId, payloadJson: JSON.stringify(item.payload) });
      expect(JSON.parse(text)).toEqual(item);
      expect(ajvFor('BatchItem')(JSON.parse(text))).toBe(true);
    }
  });

  it('answers the YAML allows are understood by the client schemas, and unknown outcomes are refused by both', () => {
    const result = { idempotencyKey: 'r:vaccination:1', outcome: 'duplicate', serverId: 'CS-1', status: 'in_review' };
    expect(ajvFor('BatchItemResult')(result)).toBe(true);
    expect(BatchItemResultSchema.safeParse(result).success).toBe(true);
    const odd = { ...result, outcome: 'probably' };
    expect(ajvFor('BatchItemResult')(odd)).toBe(false);
    expect(BatchItemResultSchema.safeParse(odd).success).toBe(false);
    const feed = {
      updates: [{ seq: 3, serverId: 'CS-1', idempotencyKey: 'k', status: 'issued', documentNumber: 'B123456789', at: '2026-03-15T02:00:00.000Z' }],
      nextCursor: 'Mw',
      hasMore: false,
    };
    expect(ajvFor('StatusUpdatesResponse')(feed)).toBe(true);
    expect(StatusUpdatesResponseSchema.safeParse(feed).success).toBe(true);
  });
});
