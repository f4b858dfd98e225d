/**
 * KioskApi: the one contract between the clerk's UI and the desk's behaviour. Defined once, here: every
 * method (argument and result schemas, who may call it) and every pushed event. The Electron shell serves it
 * over IPC, browser mode over loopback HTTP + SSE, both generically from these tables; the renderer's client is
 * typed from them (`KioskClient`), so there is no hand-kept copy anywhere.
 */
import { z } from 'zod';
import { BarcodePatternSchema, BarcodeScannedSchema, DeviceStatusSchema, IdCardReadSchema } from '../../domain/devices';
import {
  FieldIssueSchema,
  IsoInstant,
  ParentSchema,
  RegistrationInputSchema,
  RegistrationSchema,
  RequestStateSchema,
  ServiceRequestSchema,
  ServiceSchema,
  Uuid,
} from '../../domain/types';
import { SyncLinkStateSchema, SyncReasonSchema } from '../../domain/syncreasons';
import { LanguageSchema } from '../config/schema';
import { PrintJobEventSchema, PrintJobSchema, PrintStatusSchema } from '../print/schema';
import type { EventName, MethodName } from './methods';

export { EVENT_NAMES, METHOD_NAMES, isEventName, isMethodName, type EventName, type MethodName } from './methods';

export const RoleSchema = z.enum(['clerk', 'supervisor', 'admin']);
export type Role = z.infer<typeof RoleSchema>;
/** Who may call a method: anyone (`public`), or a signed-in, unlocked member of staff of at least that role. */
export type Access = 'public' | Role;

const Empty = z.object({}).strict();

/** Training (issue 12): the sample cards the panel taps (hardware/sim/fixtures.ts names; a test keeps them equal). */
export const TRAINING_SAMPLES = ['mother', 'father', 'sheMother', 'middleDotMother', 'olderFather', 'hkMother', 'foreignMother', 'foreignFather'] as const;
export type TrainingSample = (typeof TRAINING_SAMPLES)[number];
/** Training: what the simulated city does. */
export const TRAINING_CITY_MODES = ['normal', 'down', 'slow', '5xx', '429'] as const;
export type TrainingCityMode = (typeof TRAINING_CITY_MODES)[number];
/** The forms check these before calling (their words are the page's language); the API checks them again. */
export const STAFF_ID_PATTERN = /^[A-Za-z0-9_-]{2,32}$/;
export const PIN_PATTERN = /^\d{4,12}$/;
const StaffId = z.string().regex(STAFF_ID_PATTERN, 'a staff id of 2–32 letters or digits');
const Pin = z.string().regex(PIN_PATTERN, 'a PIN of 4–12 digits');
/** data area (issue 13): a new or reset PIN has 6–12 digits; 4-digit PINs set before still sign in (Pin) until changed. */
const NewPin = z.string().regex(/^\d{6,12}$/, 'a PIN of 6–12 digits');

export const StaffSchema = z.object({ staffId: z.string(), displayName: z.string(), role: RoleSchema });
export type Staff = z.infer<typeof StaffSchema>;

export const SessionInfoSchema = z.object({
  signedIn: z.boolean(),
  locked: z.boolean(),
  staff: StaffSchema.nullable(),
  training: z.boolean(),
  /** `name` in Chinese (receipts, pickup point), `nameEn` for the page in English. */
  hospital: z.object({ code: z.string(), name: z.string(), nameEn: z.string(), district: z.string() }),
  deskId: z.string(),
  language: LanguageSchema,
  idleLockMinutes: z.number(),
  version: z.string(),
  /** Devices area: the config's `devices.barcodePatterns`, which the page's keyboard-wedge path classifies by. */
  barcodePatterns: z.array(BarcodePatternSchema).optional(),
  // data area (issue 13): the signed-in clerk's PIN is a 4-digit one from before 6-digit PINs: change it.
  pinChangeRequired: z.boolean().optional(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** first account (issue 12 item 7): `available` while a production desk has no admin; `codeConfigured` = IT's file has `setupCode`. */
export const FirstAdminStatusSchema = z.object({ available: z.boolean(), codeConfigured: z.boolean() });

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  running: z.boolean(),
  queueDepth: z.number().int(),
  held: z.number().int(),
  lastSuccessAt: IsoInstant.nullable(),
  lastError: z.string().nullable(),
  nextRunAt: IsoInstant.nullable(),
  /** Server clock minus desk clock, from the last response's Date header. */
  clockDriftMs: z.number().nullable(),
  /** True when |drift| exceeds 5 minutes: shown to the clerk and on diagnostics. */
  clockDriftWarning: z.boolean(),
  // sync truth (issue 12 item 4): the link's state, why it is not online (a code the UI translates), and the
  // time of the last proper answer from the city.
  state: SyncLinkStateSchema,
  reason: SyncReasonSchema.nullable(),
  lastGoodAt: IsoInstant.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const SyncProgressSchema = SyncStatusSchema.extend({
  phase: z.enum(['push', 'pull', 'idle']),
  done: z.number().int(),
  total: z.number().int(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const HealthSchema = z.object({
  version: z.string(),
  training: z.boolean(),
  configFile: z.string().nullable(),
  dataDir: z.string(),
  /** setup area (issue 13): what the desk did at start that IT must know (e.g. training data set aside). */
  notices: z.array(z.string()),
  database: z.object({
    /** false when the last background integrity check found damage. */
    ok: z.boolean(),
    /**
     * issue 14 item 5: the last full-file check, run in the background (never at open, never by this call): its
     * result, when it ran and how long ago (at the time of this answer); `not_yet` while none has run.
     */
    integrity: z.object({
      check: z.literal('quick_check'),
      state: z.enum(['not_yet', 'ok', 'damaged']),
      at: IsoInstant.nullable(),
      ageMs: z.number().int().nonnegative().nullable(),
      durationMs: z.number().nonnegative().nullable(),
      /** SQLite's own findings (pages and b-trees, never row content), at most 5. */
      findings: z.array(z.string()),
    }),
    schemaVersion: z.number().int(),
    sizeBytes: z.number(),
    /** The chain as the last background check found it (null: no check has run yet); `auditEvents` is the live count. */
    auditChain: z.object({ ok: z.boolean(), count: z.number().int(), firstBrokenId: z.string().nullable() }).nullable(),
    auditEvents: z.number().int(),
    // data area (issue 13): the loss anchor kept beside the key; checked at every open.
    anchor: z.object({ kept: z.boolean(), count: z.number().int(), matches: z.boolean() }).optional(),
  }),
  cityApi: z.object({
    url: z.string().nullable(),
    reachable: z.boolean().nullable(),
    latencyMs: z.number().nullable(),
    checkedAt: IsoInstant.nullable(),
    detail: z.string().nullable(),
  }),
  sync: SyncStatusSchema,
  devices: z.array(DeviceStatusSchema),
  countsByState: z.record(z.string(), z.number()),
});
export type Health = z.infer<typeof HealthSchema>;

/** Where each service would be routed, what it waits for, and why it cannot apply (for the service chooser). */
export const ServiceExplanationSchema = z.object({
  service: ServiceSchema,
  /** Whether the clerk has chosen it. */
  chosen: z.boolean(),
  applicable: z.boolean(),
  reasonIfNot: z.object({ zh: z.string(), en: z.string() }).nullable(),
  jurisdiction: z.string().nullable(),
  dependsOn: z.array(ServiceSchema),
});
export type ServiceExplanation = z.infer<typeof ServiceExplanationSchema>;

export const DuplicateMatchSchema = z.object({
  registrationId: z.string(),
  childBirthDateTime: z.string(),
  plurality: z.number().int(),
  birthOrder: z.number().int(),
  createdAt: z.string(),
  /** Recorded as the same delivery and the same birth order: the same child twice. */
  sameDelivery: z.boolean(),
  // bundle area (issue 12): what the dialog shows of the other registration
  /** Same birth minute and not a sibling of a multiple birth: the same baby — blocked unless a supervisor overrides. */
  sameBirth: z.boolean().optional(),
  childName: z.string().nullable().optional(),
  deskId: z.string().nullable().optional(),
});
export type DuplicateMatch = z.infer<typeof DuplicateMatchSchema>;

export const ValidationReportSchema = z.object({
  ok: z.boolean(),
  issues: z.array(FieldIssueSchema),
  warnings: z.array(FieldIssueSchema),
  services: z.array(ServiceExplanationSchema),
  /** Suggested values the clerk did not have to type (declared district from the card, evidences seen…). */
  suggestions: z.record(z.string(), z.unknown()),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

export const RegistrationSummarySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  clerkId: z.string(),
  motherName: z.string(),
  childName: z.string().nullable(),
  childBirthDateTime: z.string(),
  states: z.array(z.object({ service: ServiceSchema, state: RequestStateSchema })),
});
export type RegistrationSummary = z.infer<typeof RegistrationSummarySchema>;

export const SearchQuerySchema = z
  .object({
    /** Free text: recognised as an ID number, phone, bundle id, certificate number or name. */
    text: z.string().trim().max(64).optional(),
    idNumber: z.string().trim().max(40).optional(),
    name: z.string().trim().max(60).optional(),
    phone: z.string().trim().max(20).optional(),
    bundleId: z.string().trim().max(36).optional(),
    certificateNumber: z.string().trim().max(10).optional(),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
    state: RequestStateSchema.optional(),
    limit: z.number().int().min(1).max(100).default(25),
    /** `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type SearchQuery = z.input<typeof SearchQuerySchema>;

export const AuditEntrySchema = z.object({
  id: z.union([z.string(), z.number()]),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectId: z.string().nullable(),
});

export const RegistrationDetailSchema = z.object({
  registration: RegistrationSchema,
  requests: z.array(ServiceRequestSchema),
  audit: z.array(AuditEntrySchema),
});
export type RegistrationDetail = z.infer<typeof RegistrationDetailSchema>;

export const DraftSchema = z.object({
  id: Uuid,
  /** The form as the clerk left it: any shape; validated only on submit. */
  data: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;

/** The desk time at which the clerk confirmed an action (kept in the audit trail even if the sync is late). */
const Confirmed = { confirmedAt: IsoInstant };

interface MethodDef<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  access: Access;
  /** Writes something: recorded with its actor in the audit trail. */
  mutates: boolean;
  /** Allowed while the screen is locked (sign-in, unlock, session info). */
  whileLocked?: boolean;
  summary: string;
}

function method<A extends z.ZodType, R extends z.ZodType>(def: MethodDef<A, R>) {
  return def;
}

export const kioskMethods = {
  // — session —
  getSession: method({ args: Empty, result: SessionInfoSchema, access: 'public', mutates: false, whileLocked: true, summary: 'Who is signed in; desk, hospital, training mode.' }),
  signIn: method({ args: z.object({ staffId: StaffId, pin: Pin }).strict(), result: SessionInfoSchema, access: 'public', mutates: true, whileLocked: true, summary: 'Staff sign-in with staff id and PIN (locks out after repeated failures).' }),
  signOut: method({ args: Empty, result: SessionInfoSchema, access: 'public', mutates: true, whileLocked: true, summary: 'Sign out; the queue and drafts are kept.' }),
  lock: method({ args: Empty, result: SessionInfoSchema, access: 'clerk', mutates: false, whileLocked: true, summary: 'Lock the screen (idle or by hand); the draft is kept.' }),
  unlock: method({ args: z.object({ pin: Pin }).strict(), result: SessionInfoSchema, access: 'public', mutates: true, whileLocked: true, summary: 'Unlock with the signed-in clerk\'s PIN.' }),
  setLanguage: method({ args: z.object({ language: LanguageSchema }).strict(), result: SessionInfoSchema, access: 'public', mutates: false, whileLocked: true, summary: 'Switch the UI language (kept as the desk preference).' }),

  // — config, health, staff —
  getHealth: method({ args: Empty, result: HealthSchema, access: 'clerk', mutates: false, summary: 'Diagnostics: devices, city API, queue, database, version, config file.' }),
  listStaff: method({ args: Empty, result: z.array(StaffSchema), access: 'admin', mutates: false, summary: 'Staff accounts of this desk.' }),
  saveStaff: method({ args: z.object({ staffId: StaffId, displayName: z.string().trim().min(1).max(40), role: RoleSchema, pin: NewPin }).strict(), result: StaffSchema, access: 'admin', mutates: true, summary: 'Create a staff account or reset its PIN and role.' }),

  // — first account (issue 12 item 7): IT's one-time set-up of the first admin on a production desk —
  firstAdminStatus: method({ args: Empty, result: FirstAdminStatusSchema, access: 'public', mutates: false, whileLocked: true, summary: 'Whether this desk offers the one-time set-up of its first admin (production, no admin yet).' }),
  setUpFirstAdmin: method({ args: z.object({ setupCode: z.string().min(1).max(200), staffId: StaffId, displayName: z.string().trim().min(1).max(40), pin: Pin }).strict(), result: SessionInfoSchema, access: 'public', mutates: true, whileLocked: true, summary: "Create the first admin with the set-up code from IT's config file (once; audited), and sign in." }),

  // — drafts and validation —
  validateDraft: method({ args: z.object({ draft: z.record(z.string(), z.unknown()), mode: z.enum(['draft', 'submit']).default('draft') }).strict(), result: ValidationReportSchema, access: 'clerk', mutates: false, summary: 'Field-level validation, plausibility warnings, and where each service would be routed.' }),
  saveDraft: method({ args: z.object({ id: Uuid, data: z.record(z.string(), z.unknown()) }).strict(), result: DraftSchema, access: 'clerk', mutates: true, summary: 'Save the form as it stands (survives lock, crash and restart).' }),
  getDraft: method({ args: z.object({ id: Uuid }).strict(), result: DraftSchema.nullable(), access: 'clerk', mutates: false, summary: 'One draft.' }),
  listDrafts: method({ args: Empty, result: z.array(DraftSchema), access: 'clerk', mutates: false, summary: 'Unsubmitted drafts, newest first.' }),
  discardDraft: method({ args: z.object({ id: Uuid }).strict(), result: z.object({ discarded: z.boolean() }), access: 'clerk', mutates: true, summary: 'Discard a draft (nothing submitted is ever deleted).' }),
  checkDuplicates: method({ args: z.object({ motherDocType: z.string().max(20), motherDocNumber: z.string().max(40), childBirthDateTime: z.string().max(16), plurality: z.number().int().min(1).max(8), birthOrder: z.number().int().min(1).max(8).default(1), excludeRegistrationId: Uuid.optional() }).strict(), result: z.array(DuplicateMatchSchema), access: 'clerk', mutates: false, summary: 'Same mother with a child born in the last 270 days (multiple births excepted).' }),

  // — submit, lists, detail —
  submit: method({ args: z.object({ registration: RegistrationInputSchema, acknowledgeDuplicates: z.boolean().default(false), /* bundle area: a supervisor's override of a same-birth duplicate */ overrideDuplicate: z.object({ reason: z.string().trim().min(4, 'give the reason (at least 4 characters)').max(200) }).strict().optional(), ...Confirmed }).strict(), result: RegistrationDetailSchema.extend({ created: z.boolean() }), access: 'clerk', mutates: true, summary: 'Validate and queue the bundle: one transaction, idempotent on the registration id.' }),
  listRegistrations: method({ args: SearchQuerySchema, result: z.object({ items: z.array(RegistrationSummarySchema), nextCursor: z.string().nullable() }), access: 'clerk', mutates: false, summary: 'Search and list registrations, newest first.' }),
  todaySummary: method({ args: Empty, result: z.object({ registrations: z.number().int(), countsByState: z.record(z.string(), z.number()), recent: z.array(RegistrationSummarySchema) }), access: 'clerk', mutates: false, summary: 'Today at this desk.' }),
  getRegistration: method({ args: z.object({ id: Uuid }).strict(), result: RegistrationDetailSchema, access: 'clerk', mutates: false, summary: 'One registration with its request timeline.' }),
  retryRequest: method({ args: z.object({ requestId: Uuid, ...Confirmed }).strict(), result: ServiceRequestSchema, access: 'clerk', mutates: true, summary: 'Put a held request back in the queue.' }),
  amendRequest: method({ args: z.object({ requestId: Uuid, registration: RegistrationInputSchema, ...Confirmed }).strict(), result: RegistrationDetailSchema, access: 'clerk', mutates: true, summary: 'Correct the entry and resubmit a rejected, needs-info or held request (new revision, new idempotency key).' }),
  // bundle area (issue 12)
  addService: method({ args: z.object({ registrationId: Uuid, service: ServiceSchema, ...Confirmed }).strict(), result: ServiceRequestSchema, access: 'clerk', mutates: true, summary: 'Add a service to a filed registration: one new request, validated against the stored entry, audited.' }),
  receiptPdf: method({ args: z.object({ registrationId: Uuid }).strict(), result: z.object({ fileName: z.string(), base64: z.string() }), access: 'clerk', mutates: false, summary: 'The bundle\'s receipt as PDF (print or save).' }),

  // — sync —
  syncNow: method({ args: Empty, result: SyncStatusSchema, access: 'clerk', mutates: false, summary: 'Sync now instead of waiting for the schedule.' }),
  getSyncStatus: method({ args: Empty, result: SyncStatusSchema, access: 'public', mutates: false, whileLocked: true, summary: 'Online/offline, queue depth, last successful sync.' }),

  // — devices —
  listDevices: method({ args: Empty, result: z.array(DeviceStatusSchema), access: 'clerk', mutates: false, summary: 'Readers and scanners and their state.' }),
  /** Training mode only: drive the simulated reader and scanner (the same bytes as a real device). */
  simulateCardTap: method({ args: z.object({ parent: ParentSchema.omit({ chip: true }) }).strict(), result: z.object({ delivered: z.boolean() }), access: 'clerk', mutates: false, summary: 'Training: tap a card on the simulated reader.' }),
  // — training (issue 12): handlers in handlers/training.ts —
  trainingTapSample: method({ args: z.object({ sample: z.enum(TRAINING_SAMPLES) }).strict(), result: z.object({ delivered: z.boolean() }), access: 'clerk', mutates: false, summary: 'Training: tap one of the sample cards on the simulated reader.' }),
  trainingSetHospital: method({ args: z.object({ hospitalCode: z.string().regex(/^WZ\d{2}$/, 'a hospital code like WZ01') }).strict(), result: SessionInfoSchema, access: 'clerk', mutates: false, summary: "Training: the session's hospital (one of the 37)." }),
  trainingSetCity: method({ args: z.object({ mode: z.enum(TRAINING_CITY_MODES) }).strict(), result: z.object({ mode: z.enum(TRAINING_CITY_MODES) }), access: 'clerk', mutates: false, summary: 'Training: the simulated city up, down, slow, answering 5xx or 429.' }),
  simulateScan: method({ args: z.object({ value: z.string().min(1).max(200) }).strict(), result: z.object({ delivered: z.boolean() }), access: 'clerk', mutates: false, summary: 'Training: scan a barcode on the simulated scanner.' }),

  // — printing (the receipt through the desk's print queue: no dialog, the configured printer, paper and copies) —
  printReceipt: method({ args: z.object({ registrationId: Uuid }).strict(), result: PrintJobSchema, access: 'clerk', mutates: false, summary: 'Print the bundle\'s receipt on the configured printer; the job\'s state follows as printJob events.' }),
  printStatus: method({ args: Empty, result: PrintStatusSchema, access: 'clerk', mutates: false, summary: 'The printer (name, ready or why not, jobs waiting) and the desk\'s recent print jobs.' }),
  printRetry: method({ args: z.object({ jobId: Uuid }).strict(), result: PrintJobSchema, access: 'clerk', mutates: false, summary: 'Hand a job the print system refused over again (never one it took: no double print).' }),
} as const satisfies Record<MethodName, MethodDef>;

export const RequestStatusChangedSchema = z.object({
  registrationId: Uuid,
  requestId: Uuid,
  service: ServiceSchema,
  state: RequestStateSchema,
  documentNumber: z.string().nullable(),
  reason: z.string().nullable(),
  at: IsoInstant,
});
export type RequestStatusChanged = z.infer<typeof RequestStatusChangedSchema>;

/** Events pushed from the desk to the UI. */
export const kioskEvents = {
  idCardRead: IdCardReadSchema,
  barcodeScanned: BarcodeScannedSchema,
  deviceStatus: DeviceStatusSchema,
  syncProgress: SyncProgressSchema,
  requestStatusChanged: RequestStatusChangedSchema,
  sessionChanged: SessionInfoSchema,
  // printing: a job changed state (the printer's state rides along)
  printJob: PrintJobEventSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type KioskMethods = typeof kioskMethods;
export type MethodArgs<K extends MethodName> = z.input<KioskMethods[K]['args']>;
export type ParsedArgs<K extends MethodName> = z.output<KioskMethods[K]['args']>;
export type MethodResult<K extends MethodName> = z.output<KioskMethods[K]['result']>;
export type KioskEvents = typeof kioskEvents;
export type EventPayload<E extends EventName> = z.output<KioskEvents[E]>;
