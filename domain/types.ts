/**
 * The newborn domain: structural zod schemas (shape and types) for everything the desk records.
 * Semantic validation (ID check digits, real dates, ranges, age at birth…) with field-precise,
 * bilingual errors lives in `validate.ts`; these schemas only fix the shape.
 */
import { z } from 'zod';
import {
  CAPTURE_METHODS,
  DELIVERY_MODES,
  DISTRICT_CODES,
  DOC_TYPES,
  EVIDENCE_KINDS,
  HEALTH_STATUSES,
  REQUEST_STATES,
  SERVICES,
  SEX_CODES,
} from './codes';
export type { DistrictCode, DocType, Service, SexCode, RequestState } from './codes';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** Local date-time to the minute, as written on the certificate: `YYYY-MM-DDTHH:mm` (desk local time). */
export const IsoMinute = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm');
export const IsoInstant = z.string().datetime({ offset: true });
export const Uuid = z.string().uuid();

export const SexSchema = z.enum(SEX_CODES);
export const DistrictSchema = z.enum(DISTRICT_CODES);
export const ServiceSchema = z.enum(SERVICES);
export const RequestStateSchema = z.enum(REQUEST_STATES);
export const DocTypeSchema = z.enum(DOC_TYPES);

/** Card types a reader can tell apart by the marker at byte 248 of the text block. */
export const CardTypeSchema = z.enum(['resident', 'hmt', 'foreign_2017', 'foreign_2023']);
export type CardType = z.infer<typeof CardTypeSchema>;

/** Fields of a Parent that a reader read from the card's chip: the UI shows them as verified. */
export const ChipProvenanceSchema = z.object({
  cardType: CardTypeSchema,
  readAt: IsoInstant,
  readerId: z.string().max(64),
  verifiedFields: z.array(z.string().max(32)).max(16),
  photoPresent: z.boolean(),
});
export type ChipProvenance = z.infer<typeof ChipProvenanceSchema>;

export const ParentSchema = z.object({
  name: z.string().max(120),
  sex: SexSchema.optional(),
  docType: DocTypeSchema,
  docNumber: z.string().max(40),
  /** ISO 3166-1 alpha-3, `CHN` for Chinese citizens (incl. HK/Macau/Taiwan permit holders). */
  nationality: z.string().max(3),
  /** GB/T 3304 code; required for Chinese citizens with a resident ID. */
  ethnicity: z.string().max(2).optional(),
  birthDate: IsoDate,
  /** Registered (hukou) address as on the card. */
  address: z.string().max(140).optional(),
  phone: z.string().max(20).optional(),
  issuingAuthority: z.string().max(60).optional(),
  validFrom: IsoDate.optional(),
  validTo: z.union([IsoDate, z.literal('permanent')]).optional(),
  chip: ChipProvenanceSchema.optional(),
});
export type Parent = z.infer<typeof ParentSchema>;

export const MotherInsuranceSchema = z.object({
  insured: z.boolean(),
  /** District where the mother pays maternity insurance (may differ from the hospital's and the declared one). */
  insuredDistrict: DistrictSchema.optional(),
  /** Optional bank account for the maternity allowance. */
  bankAccount: z.string().max(34).optional(),
});
export type MotherInsurance = z.infer<typeof MotherInsuranceSchema>;

export const ChildSchema = z.object({
  /** May be empty: a child not yet named still gets a birth certificate and vaccinations. */
  name: z.string().max(120).optional(),
  sex: SexSchema,
  birthDateTime: IsoMinute,
  gestationalWeeks: z.number(),
  weightG: z.number(),
  lengthCm: z.number(),
  healthStatus: z.enum(HEALTH_STATUSES),
  deliveryMode: z.enum(DELIVERY_MODES),
  attendant: z.string().max(60),
  /** Number of children born in this delivery (1 singleton, 2 twins…) and this child's order. */
  plurality: z.number().int(),
  birthOrder: z.number().int(),
});
export type Child = z.infer<typeof ChildSchema>;

export const VaccineDoseSchema = z.object({
  vaccine: z.enum(['hepb_1', 'bcg']),
  manufacturer: z.string().max(60),
  batch: z.string().max(40),
  givenAt: IsoMinute,
  site: z.string().max(40),
  nurse: z.string().max(60),
});
export type VaccineDose = z.infer<typeof VaccineDoseSchema>;

export const DeclarationSchema = z.object({
  /** District whose household register the child joins; absent = household registration not filed here. */
  householdDistrict: DistrictSchema.optional(),
  householdAddress: z.string().max(140).optional(),
  relationshipToHouseholder: z.string().max(20).optional(),
  /** Residence district for the vaccination record (defaults to the household district). */
  residenceDistrict: DistrictSchema.optional(),
  guardianName: z.string().max(120),
  guardianPhone: z.string().max(20),
  cardDelivery: z.object({
    method: z.enum(['post', 'pickup']),
    address: z.string().max(140).optional(),
    pickupPoint: z.string().max(60).optional(),
  }),
});
export type Declaration = z.infer<typeof DeclarationSchema>;

export const EvidenceSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  capture: z.enum(CAPTURE_METHODS),
  /** What was captured, e.g. the wristband barcode; never the full ID number. */
  ref: z.string().max(80).optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** What the clerk enters (a draft may be incomplete; `RegistrationInput` is what submit requires). */
export const RegistrationInputSchema = z.object({
  /** Client-generated UUIDv7: submit is idempotent on it. */
  id: Uuid,
  mother: ParentSchema.extend({ insurance: MotherInsuranceSchema, inpatientNumber: z.string().max(40).optional() }),
  father: ParentSchema.nullable(),
  child: ChildSchema,
  declaration: DeclarationSchema,
  vaccinations: z.array(VaccineDoseSchema).max(4),
  evidences: z.array(EvidenceSchema).max(10),
  services: z.array(ServiceSchema).min(1).max(5),
  /** Services the family asked for that the clerk explicitly does not file, each with the reason (printed on the receipt). */
  declined: z
    .array(z.object({ service: ServiceSchema, reason: z.string().trim().min(2, 'give the reason (at least 2 characters)').max(200) }))
    .max(5)
    .optional(),
});
export type RegistrationInput = z.infer<typeof RegistrationInputSchema>;
export type Mother = RegistrationInput['mother'];

/** A stored registration: the input plus who filed it, where and when. */
export const RegistrationSchema = RegistrationInputSchema.extend({
  hospitalCode: z.string().max(16),
  deskId: z.string().max(32),
  clerkId: z.string().max(32),
  createdAt: IsoInstant,
});
export type Registration = z.infer<typeof RegistrationSchema>;

/** One field-precise problem: where, which rule, and what to do, in both languages. */
export const FieldIssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

export const ServiceRequestSchema = z.object({
  id: Uuid,
  registrationId: Uuid,
  service: ServiceSchema,
  /** District the request is routed to. */
  jurisdiction: DistrictSchema,
  /** Services whose result this request waits for (data, shown in the UI). */
  dependsOn: z.array(ServiceSchema),
  payload: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string(),
  state: RequestStateSchema,
  serverId: z.string().nullable(),
  serverStatus: z.string().nullable(),
  reason: z.string().nullable(),
  /** Document the city issued (certificate number, child's ID number, card number…), null while pending. */
  documentNumber: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: IsoInstant.nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type ServiceRequest = z.infer<typeof ServiceRequestSchema>;

/** A request as the desk first stores it: queued, never tried, nothing back from the city yet. */
export function queuedRequest(
  r: Pick<ServiceRequest, 'id' | 'registrationId' | 'service' | 'jurisdiction' | 'dependsOn' | 'payload' | 'idempotencyKey'>,
  now: string,
): ServiceRequest {
  return { ...r, state: 'queued', attempts: 0, nextAttemptAt: now, lastError: null, serverId: null, serverStatus: null, reason: null, documentNumber: null, createdAt: now, updatedAt: now };
}
