/**
 * Row ↔ object mapping for registrations: the argument schemas, the content hash (idempotent submit), and
 * the insert statements with the normalised lookup keys stored beside the JSON document.
 */
import { z } from 'zod';
import { REQUEST_STATES, SERVICES } from '../domain/codes';
import {
  DistrictSchema,
  IsoDate,
  IsoInstant,
  IsoMinute,
  RegistrationSchema,
  ServiceSchema,
  Uuid,
  type Registration,
} from '../domain/types';
import { canonicalJSON } from '../domain/canonical';
import { sha256Hex } from './canonical';
import { docKey, minuteOf, nameKey, phoneKey } from './normalize';

export const MAX_PAYLOAD_BYTES = 64 * 1024;

export const DerivedRequestSchema = z.object({
  id: Uuid,
  service: ServiceSchema,
  jurisdiction: DistrictSchema,
  dependsOn: z.array(ServiceSchema).max(SERVICES.length),
  payload: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(8).max(200),
});

export const SubmitInputSchema = z.object({
  registration: RegistrationSchema,
  requests: z.array(DerivedRequestSchema).min(1).max(SERVICES.length),
  actor: z.string().min(1).max(64),
  at: IsoInstant.optional(),
});

export const SearchQuerySchema = z
  .object({
    parentDocNumber: z.string().trim().min(1).max(40).optional(),
    /** The last 6 characters of a parent's ID number (issue 12). */
    parentDocTail: z.string().trim().regex(/^[0-9A-Za-z]{6}$/, 'the last 6 characters of an ID number').optional(),
    name: z.string().trim().min(1).max(120).optional(),
    phone: z.string().trim().min(3).max(24).optional(),
    registrationId: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F-]{4,36}$/, 'expected at least 4 characters of a registration id')
      .optional(),
    birthCertificateNumber: z.string().trim().min(1).max(20).optional(),
    createdFrom: IsoInstant.optional(),
    createdTo: IsoInstant.optional(),
    birthFrom: IsoDate.optional(),
    birthTo: IsoDate.optional(),
    states: z.array(z.enum(REQUEST_STATES)).min(1).max(REQUEST_STATES.length).optional(),
    limit: z.number().int().min(1).max(100).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const DuplicateQuerySchema = z
  .object({
    motherDocType: z.string().min(1).max(32),
    motherDocNumber: z.string().trim().min(1).max(40),
    childBirthDateTime: IsoMinute,
    plurality: z.number().int().min(1).max(9),
    birthOrder: z.number().int().min(1).max(9),
    excludeRegistrationId: z.string().max(64).optional(),
    windowDays: z.number().int().min(1).max(3650).optional(),
    sameDeliveryHours: z.number().min(0).max(240).optional(),
  })
  .strict();

/** What makes two submits "the same": the clerk's entry (RegistrationInput), not who/where/when filed it. */
export function registrationContentHash(reg: Registration): string {
  const { hospitalCode: _h, deskId: _d, clerkId: _c, createdAt: _t, ...input } = reg;
  return sha256Hex(canonicalJSON(input));
}

/** Issue 12: the last 6 of either parent's ID number, each side from its expression index (an OR would scan). */
export const DOC_TAIL_WHERE =
  'r.seq IN (SELECT seq FROM registrations WHERE substr(mother_doc_no, -6) = ? UNION ALL SELECT seq FROM registrations WHERE substr(father_doc_no, -6) = ?)';

/** Inserts one `registrationRow()` (named parameters). */
export const REGISTRATION_INSERT = `INSERT INTO registrations (id, hospital_code, desk_id, clerk_id, created_at, child_birth,
    child_birth_min, plurality, birth_order, mother_doc_type, mother_doc_no, father_doc_type, father_doc_no,
    mother_name_key, father_name_key, child_name_key, mother_phone, father_phone, guardian_phone)
  VALUES (@id, @hospitalCode, @deskId, @clerkId, @createdAt, @childBirth,
    @childBirthMin, @plurality, @birthOrder, @motherDocType, @motherDocNo, @fatherDocType, @fatherDocNo,
    @motherNameKey, @fatherNameKey, @childNameKey, @motherPhone, @fatherPhone, @guardianPhone)`;

/** Inserts the document of the registration row just inserted (`seq` = its rowid). */
export const REGISTRATION_DOC_INSERT = `INSERT INTO registration_docs (seq, content_hash, doc) VALUES (@seq, @contentHash, @doc)`;

/** The row stored for a registration: the JSON document plus the normalised lookup columns (bulk loaders may pass a precomputed content hash). */
export function registrationRow(reg: Registration, contentHash: string = registrationContentHash(reg)) {
  const father = reg.father;
  const phones = {
    motherPhone: reg.mother.phone ? phoneKey(reg.mother.phone) || null : null,
    fatherPhone: father?.phone ? phoneKey(father.phone) || null : null,
    guardianPhone: phoneKey(reg.declaration.guardianPhone) || null,
  };
  return {
    id: reg.id,
    doc: JSON.stringify(reg),
    contentHash,
    hospitalCode: reg.hospitalCode,
    deskId: reg.deskId,
    clerkId: reg.clerkId,
    createdAt: new Date(reg.createdAt).toISOString(),
    childBirth: reg.child.birthDateTime,
    childBirthMin: minuteOf(reg.child.birthDateTime),
    plurality: reg.child.plurality,
    birthOrder: reg.child.birthOrder,
    motherDocType: reg.mother.docType,
    motherDocNo: docKey(reg.mother.docNumber),
    fatherDocType: father?.docType ?? null,
    fatherDocNo: father ? docKey(father.docNumber) || null : null,
    motherNameKey: nameKey(reg.mother.name),
    fatherNameKey: father ? nameKey(father.name) || null : null,
    childNameKey: reg.child.name ? nameKey(reg.child.name) || null : null,
    ...phones,
  };
}
