/**
 * The KioskApi implementation: one handler per contract method, over the encrypted store, the bundle rules,
 * and the sync/device/receipt ports. The shells never see these handlers: they get `dispatch`, which parses
 * every argument with the contract's schema first (see `dispatch.ts`). Every write is one store transaction
 * that records its actor and the desk time the clerk confirmed it.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  BackwardTransitionError,
  ConstraintError,
  DatabaseCorruptError,
  InvalidInputError,
  NotFoundError,
  StaleStateError,
  StoreError,
  SubmitConflictError,
  type SearchQuery as StoreSearchQuery,
  type Store,
  type StoredRequest,
} from '../../db';
import { deriveRequests, explainServices } from '../../domain/bundle';
import { REQUEST_STATES, type RequestState } from '../../domain/codes';
import { suggestDeclaredDistrict, suggestGuardian } from '../../domain/defaults';
import { getHospital } from '../../domain/hospitals';
import type { Registration, ServiceRequest } from '../../domain/types';
import { validateRegistration } from '../../domain/validate';
import { isTrainingMode, type DeskConfig, type Language } from '../config/schema';
import type {
  Health,
  RegistrationDetail,
  RegistrationSummary,
  SessionInfo,
  Staff,
  SyncStatus,
} from './contract';
import { createDispatcher, type CallContext, type Dispatch, type KioskHandlers, type SessionGate } from './dispatch';
import type { EventHub } from './events';
import type { CityApiProbe, DevicePort, Logger, ReceiptPort, SyncPort } from './ports';
import { KioskError } from './result';

export interface KioskServiceDeps {
  store: Store;
  config: DeskConfig;
  events: EventHub;
  logger: Logger;
  /** What the diagnostics screen shows about this installation. */
  host: { version: string; configFile: string | null; dataDir: string };
  now?: () => Date;
  sync?: SyncPort;
  devices?: DevicePort;
  receipts?: ReceiptPort;
  probeCityApi?: CityApiProbe;
}

export interface KioskService {
  dispatch: Dispatch;
  gate: SessionGate;
  /** Handlers, for in-process callers that already hold parsed arguments (tests, the training panel). */
  handlers: KioskHandlers;
}

const OFFLINE_STATUS: SyncStatus = {
  online: false,
  running: false,
  queueDepth: 0,
  held: 0,
  lastSuccessAt: null,
  lastError: 'sync is not running on this desk',
  nextRunAt: null,
  clockDriftMs: null,
  clockDriftWarning: false,
};

const LANGUAGE_SETTING = 'ui.language';

export function createKioskService(deps: KioskServiceDeps): KioskService {
  const { store, config, events, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const training = isTrainingMode(config);
  const found = getHospital(config.hospitalCode);
  if (!found) throw new Error(`unknown hospital code ${config.hospitalCode}`);
  const hospital = { code: found.code, name: found.zh, district: found.district };

  let session: { staff: Staff; locked: boolean } | null = null;
  let language: Language = (store.settings.get(LANGUAGE_SETTING) as Language | undefined) ?? config.language;

  const gate: SessionGate = { current: () => ({ staff: session?.staff ?? null, locked: session?.locked ?? false }) };

  function sessionInfo(): SessionInfo {
    return {
      signedIn: session !== null,
      locked: session?.locked ?? false,
      staff: session?.staff ?? null,
      training,
      hospital,
      deskId: config.deskId,
      language,
      idleLockMinutes: config.idleLockMinutes,
      version: deps.host.version,
    };
  }
  const announce = (): SessionInfo => {
    const info = sessionInfo();
    events.emit('sessionChanged', info);
    return info;
  };

  function actorOf(ctx: CallContext): string {
    if (!ctx.actor) throw new KioskError('unauthenticated', { en: 'Please sign in first.', zh: '请先登录。' });
    return ctx.actor.staffId;
  }

  async function checkPin(staffId: string, pin: string): Promise<Staff> {
    const r = await store.staff.verifyPin(staffId, pin, now());
    switch (r.result) {
      case 'ok':
        return { staffId: r.staff.staffId, displayName: r.staff.displayName, role: r.staff.role };
      case 'locked':
        throw new KioskError(
          'account_locked',
          { en: `Too many wrong PINs: this account is locked until ${localTime(r.until)}. Ask a supervisor.`, zh: `PIN 码错误次数过多，账号已锁定至 ${localTime(r.until)}。请联系主管。` },
          { detail: { until: r.until } },
        );
      case 'bad_pin':
        throw new KioskError(
          'bad_pin',
          { en: `Wrong staff id or PIN. ${r.attemptsLeft} tries left before the account locks.`, zh: `工作人员编号或 PIN 码不正确。再错 ${r.attemptsLeft} 次账号将被锁定。` },
          { detail: { attemptsLeft: r.attemptsLeft } },
        );
      default:
        // Unknown ids get the same answer as a wrong PIN: the desk does not reveal which staff ids exist.
        throw new KioskError('bad_pin', { en: 'Wrong staff id or PIN.', zh: '工作人员编号或 PIN 码不正确。' });
    }
  }

  function syncStatus(): SyncStatus {
    if (!deps.sync) return { ...OFFLINE_STATUS, queueDepth: store.requests.queueDepth(), held: store.requests.countByState().held };
    return deps.sync.status();
  }

  function detail(registration: Registration, requests: ServiceRequest[]): RegistrationDetail {
    const subjects = [registration.id, ...requests.map((r) => r.id)];
    const audit = subjects
      .flatMap((subjectId) => store.audit.list({ subjectId, limit: 100 }))
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, subjectId: e.subjectId }));
    return { registration, requests: requests.map(toServiceRequest), audit };
  }

  function loadDetail(id: string): RegistrationDetail {
    const registration = store.registrations.get(id);
    if (!registration) throw notFound('registration');
    return detail(registration, store.requests.listForRegistration(id));
  }

  function validateForSubmit(input: unknown) {
    const report = validateRegistration(input, { now: now(), mode: 'submit' });
    if (!report.ok) {
      throw new KioskError(
        'invalid',
        { en: `${report.issues.length} field(s) need correcting before submit.`, zh: `提交前有 ${report.issues.length} 处需要更正。` },
        { fields: report.issues },
      );
    }
    return report.value;
  }

  const handlers: KioskHandlers = {
    getSession: () => sessionInfo(),

    signIn: async ({ staffId, pin }) => {
      const staff = await checkPin(staffId, pin);
      session = { staff, locked: false };
      logger.info('staff signed in', { staffId, role: staff.role });
      return announce();
    },

    signOut: () => {
      if (session) {
        store.audit.append({ actor: session.staff.staffId, at: now().toISOString(), action: 'staff.signout', subjectId: session.staff.staffId });
        logger.info('staff signed out', { staffId: session.staff.staffId });
      }
      // The queue and the drafts stay: signing out never deletes anything.
      session = null;
      return announce();
    },

    lock: () => {
      if (session) session.locked = true;
      return announce();
    },

    unlock: async ({ pin }) => {
      if (!session) throw new KioskError('unauthenticated', { en: 'Nobody is signed in: sign in instead.', zh: '当前无人登录，请直接登录。' });
      await checkPin(session.staff.staffId, pin);
      session.locked = false;
      return announce();
    },

    setLanguage: ({ language: next }) => {
      language = next;
      store.settings.set(LANGUAGE_SETTING, next, session ? { actor: session.staff.staffId } : undefined);
      return announce();
    },

    getHealth: async (): Promise<Health> => {
      const db = store.health();
      const chain = store.verifyAuditChain();
      const city = deps.probeCityApi ? await deps.probeCityApi() : { reachable: null, latencyMs: null, detail: 'not configured' };
      return {
        version: deps.host.version,
        training,
        configFile: deps.host.configFile,
        dataDir: deps.host.dataDir,
        database: {
          ok: db.ok,
          quickCheck: db.quickCheck,
          schemaVersion: db.schemaVersion,
          sizeBytes: db.sizeBytes + db.walBytes,
          auditChain: chain.ok ? { ok: true, count: chain.count, firstBrokenId: null } : { ok: false, count: chain.count, firstBrokenId: chain.firstBrokenId },
        },
        cityApi: {
          url: config.cityApi?.url ?? (training ? 'embedded training simulator' : null),
          reachable: city.reachable,
          latencyMs: city.latencyMs,
          checkedAt: now().toISOString(),
          detail: city.detail,
        },
        sync: syncStatus(),
        devices: deps.devices?.list() ?? [],
        countsByState: store.requests.countByState(),
      };
    },

    listStaff: () => store.staff.list().filter((s) => s.active).map(({ staffId, displayName, role }) => ({ staffId, displayName, role })),

    saveStaff: async (args, ctx) => {
      const actor = actorOf(ctx);
      const existing = store.staff.get(args.staffId);
      if (existing) {
        if (existing.role !== args.role || existing.displayName !== args.displayName) {
          throw new KioskError('not_allowed', {
            en: 'An existing account keeps its name and role; only its PIN can be reset here.',
            zh: '已有账号的姓名和角色不可修改，此处只能重置 PIN 码。',
          });
        }
        await store.staff.setPin(args.staffId, args.pin, { actor });
      } else {
        await store.staff.create(args, { actor });
      }
      return { staffId: args.staffId, displayName: args.displayName, role: args.role };
    },

    validateDraft: ({ draft, mode }) => {
      const report = validateRegistration(draft, { now: now(), mode });
      const services = explainServices(draft, { hospitalDistrict: hospital.district });
      const mother = (draft as { mother?: unknown }).mother;
      const father = (draft as { father?: unknown }).father;
      const suggestions: Record<string, unknown> = {};
      const district = suggestDeclaredDistrict(mother, father);
      if (district) {
        suggestions['declaration.householdDistrict'] = district.district;
        suggestions['declaration.householdDistrict.source'] = district.source;
        suggestions['declaration.householdDistrict.alternatives'] = district.alternatives;
      }
      const guardian = suggestGuardian(mother, father);
      if (guardian) {
        suggestions['declaration.guardianName'] = guardian.guardianName;
        suggestions['declaration.guardianPhone'] = guardian.guardianPhone;
      }
      return { ok: report.ok, issues: report.ok ? [] : report.issues, warnings: report.warnings, services, suggestions };
    },

    saveDraft: ({ id, data }, ctx) => {
      const saved = store.drafts.save({ registrationId: id, doc: data, actor: actorOf(ctx) });
      return { id, data, updatedAt: saved.updatedAt };
    },

    getDraft: ({ id }) => {
      const d = store.drafts.get(id);
      return d ? { id: d.registrationId, data: d.doc, updatedAt: d.updatedAt } : null;
    },

    listDrafts: () =>
      store.drafts.list().flatMap((s) => {
        const d = store.drafts.get(s.registrationId);
        return d ? [{ id: d.registrationId, data: d.doc, updatedAt: d.updatedAt }] : [];
      }),

    discardDraft: ({ id }, ctx) => ({ discarded: store.drafts.delete(id, { actor: actorOf(ctx) }) }),

    checkDuplicates: (q) => store.registrations.findDuplicates(q),

    submit: ({ registration: input, acknowledgeDuplicates, confirmedAt }, ctx) => {
      const actor = actorOf(ctx);
      const value = validateForSubmit(input);
      const previous = store.registrations.get(value.id);
      if (!previous && !acknowledgeDuplicates) {
        const matches = store.registrations.findDuplicates({
          motherDocType: value.mother.docType,
          motherDocNumber: value.mother.docNumber,
          childBirthDateTime: value.child.birthDateTime,
          plurality: value.child.plurality,
          birthOrder: value.child.birthOrder,
          excludeRegistrationId: value.id,
        });
        if (matches.length > 0) {
          throw new KioskError(
            'duplicate_birth',
            {
              en: 'This mother already has a child registered in the last 270 days. Check it is not the same child; if it is a new birth, confirm to submit.',
              zh: '该母亲在 270 天内已登记过新生儿。请核对是否为同一新生儿；如确为新出生，请确认后提交。',
            },
            { detail: { matches } },
          );
        }
      }
      const registration: Registration = {
        ...value,
        hospitalCode: hospital.code,
        deskId: config.deskId,
        clerkId: actor,
        createdAt: now().toISOString(),
      };
      const requests = deriveRequests(registration, { hospitalDistrict: hospital.district, newId: uuidv7 });
      const result = store.registrations.submit({ registration, requests, actor, at: confirmedAt });
      if (result.created) {
        logger.info('bundle submitted', { registrationId: registration.id, requests: requests.length });
        deps.sync?.poke();
      }
      return { ...detail(result.registration, result.requests), created: result.created };
    },

    listRegistrations: (query) => {
      const page = store.registrations.search(toStoreQuery(query));
      return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
    },

    todaySummary: () => {
      const start = new Date(now());
      start.setHours(0, 0, 0, 0);
      let cursor: string | undefined;
      let registrations = 0;
      let recent: RegistrationSummary[] = [];
      do {
        const page = store.registrations.search({ createdFrom: start.toISOString(), limit: 100, ...(cursor ? { cursor } : {}) });
        if (recent.length === 0) recent = page.items.slice(0, 10).map(toSummary);
        registrations += page.items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { registrations, countsByState: store.requests.countByState(), recent };
    },

    getRegistration: ({ id }) => loadDetail(id),

    retryRequest: ({ requestId, confirmedAt }, ctx) => {
      const r = store.requests.retry(requestId, { actor: actorOf(ctx), at: confirmedAt });
      deps.sync?.poke();
      return toServiceRequest(r);
    },

    amendRequest: ({ requestId, registration: input, confirmedAt }, ctx) => {
      const actor = actorOf(ctx);
      const request = store.requests.get(requestId);
      if (!request) throw notFound('request');
      const stored = store.registrations.get(request.registrationId);
      if (!stored) throw notFound('registration');
      if (input.id !== stored.id) {
        throw new KioskError('bad_request', { en: 'The corrected entry belongs to another registration.', zh: '更正内容不属于这条登记。' }, {
          fields: [{ path: 'registration.id', code: 'mismatch', message: { en: 'must be the id of the request\'s registration', zh: '必须是该申请所属登记的编号' } }],
        });
      }
      const value = validateForSubmit(input);
      const amended: Registration = { ...stored, ...value };
      const derived = deriveRequests(amended, { hospitalDistrict: hospital.district, newId: uuidv7 }).find((r) => r.service === request.service);
      if (!derived) {
        throw new KioskError('not_allowed', {
          en: 'With this correction the service no longer applies; nothing was resubmitted.',
          zh: '按更正后的内容，该业务不再适用，未重新提交。',
        });
      }
      store.requests.amend(requestId, derived.payload, { actor, at: confirmedAt });
      deps.sync?.poke();
      return loadDetail(stored.id);
    },

    receiptPdf: async ({ registrationId }, ctx) => {
      if (!deps.receipts) throw unavailable('receipt printing');
      const d = loadDetail(registrationId);
      const clerk = store.staff.get(d.registration.clerkId);
      const pdf = await deps.receipts.render({
        registration: d.registration,
        requests: d.requests,
        hospitalName: hospital.name,
        clerkName: clerk?.displayName ?? ctx.actor?.displayName ?? d.registration.clerkId,
        training,
        now: now(),
      });
      return { fileName: `receipt-${registrationId}.pdf`, base64: pdf.toString('base64') };
    },

    syncNow: async () => (deps.sync ? deps.sync.syncNow() : syncStatus()),
    getSyncStatus: () => syncStatus(),
    listDevices: () => deps.devices?.list() ?? [],

    simulateCardTap: async ({ parent }) => {
      const sim = trainingSimulator();
      return { delivered: await sim.tapCard(parent) };
    },
    simulateScan: async ({ value }) => {
      const sim = trainingSimulator();
      return { delivered: await sim.scan(value) };
    },
  };

  function trainingSimulator() {
    if (!training || !deps.devices?.simulator) {
      throw new KioskError('not_allowed', { en: 'The simulated reader and scanner exist in training mode only.', zh: '模拟读卡器和扫码枪仅在培训模式下可用。' });
    }
    return deps.devices.simulator;
  }

  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      async (args: unknown, ctx: CallContext) => {
        try {
          return await (fn as (a: unknown, c: CallContext) => unknown)(args, ctx);
        } catch (e) {
          throw toKioskError(e, logger, name);
        }
      },
    ]),
  ) as KioskHandlers;

  return { dispatch: createDispatcher({ handlers: wrapped, gate, logger }), gate, handlers: wrapped };
}

function toServiceRequest(r: StoredRequest | ServiceRequest): ServiceRequest {
  const { revision: _r, leaseOwner: _o, leaseUntil: _u, ...rest } = r as StoredRequest;
  return rest;
}

function toSummary(s: import('../../db').RegistrationSummary): RegistrationSummary {
  return {
    id: s.id,
    createdAt: s.createdAt,
    clerkId: s.clerkId,
    motherName: s.motherName,
    childName: s.childName,
    childBirthDateTime: s.childBirthDateTime,
    states: s.requests.map((r) => ({ service: r.service, state: r.state })),
  };
}

type ContractQuery = Parameters<KioskHandlers['listRegistrations']>[0];

/** The search box takes anything: an ID number, a certificate number, a phone, a bundle id or a name. */
export function toStoreQuery(q: ContractQuery): StoreSearchQuery {
  const out: StoreSearchQuery = { limit: q.limit };
  if (q.cursor) out.cursor = q.cursor;
  if (q.idNumber) out.parentDocNumber = q.idNumber;
  if (q.name) out.name = q.name;
  if (q.phone) out.phone = q.phone;
  if (q.bundleId) out.registrationId = q.bundleId;
  if (q.certificateNumber) out.birthCertificateNumber = q.certificateNumber.toUpperCase();
  if (q.from) out.createdFrom = localDayStart(q.from).toISOString();
  if (q.to) {
    const end = localDayStart(q.to);
    end.setDate(end.getDate() + 1);
    out.createdTo = end.toISOString();
  }
  if (q.state) out.states = [q.state];
  const text = q.text?.trim();
  if (text) {
    const compact = text.replace(/\s+/g, '');
    if (/^[A-Za-z]\d{9}$/.test(compact)) out.birthCertificateNumber = compact.toUpperCase();
    else if (/^(\d{17}[\dXx]|\d{15}|[A-Za-z]{3}\d{12})$/.test(compact)) out.parentDocNumber = compact.toUpperCase();
    else if (/^\+?\d[\d-]{6,}$/.test(compact)) out.phone = compact;
    else if (/^[0-9a-f]{8}(-[0-9a-f]{0,4}){0,4}[0-9a-f-]*$/i.test(compact) && compact.length >= 4) out.registrationId = compact.toLowerCase();
    else out.name = text;
  }
  return out;
}

function localDayStart(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 0, 0, 0, 0);
}

function localTime(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function notFound(what: 'registration' | 'request'): KioskError {
  return what === 'registration'
    ? new KioskError('not_found', { en: 'No registration with that id on this desk.', zh: '本机没有这条登记。' })
    : new KioskError('not_found', { en: 'No request with that id on this desk.', zh: '本机没有这项申请。' });
}

function unavailable(what: string): KioskError {
  return new KioskError('unavailable', { en: `${what} is not available on this desk right now.`, zh: '该功能当前在本机不可用。' });
}

const STATE_WORDS: Record<RequestState, string> = Object.fromEntries(REQUEST_STATES.map((s) => [s, s])) as Record<RequestState, string>;

/** Store errors become the contract's codes, in plain words; anything else passes through to the dispatcher. */
export function toKioskError(e: unknown, logger: Logger, method: string): unknown {
  if (e instanceof KioskError || !(e instanceof StoreError)) return e;
  if (e instanceof InvalidInputError) {
    return new KioskError('bad_request', { en: 'Some values are not in the expected form.', zh: '部分内容格式不正确。' }, { fields: e.issues });
  }
  if (e instanceof SubmitConflictError) {
    return new KioskError('conflict', {
      en: 'This registration was already submitted with different content. Open it from the list instead.',
      zh: '这条登记已用不同内容提交过，请从列表中打开它。',
    });
  }
  if (e instanceof NotFoundError) return new KioskError('not_found', { en: 'Not found on this desk.', zh: '本机未找到。' });
  if (e instanceof StaleStateError || e instanceof BackwardTransitionError) {
    const actual = e instanceof StaleStateError ? STATE_WORDS[e.actual as RequestState] ?? e.actual : e.from;
    return new KioskError('not_allowed', {
      en: `The request is now "${actual}": this action no longer applies. The screen has been refreshed.`,
      zh: `该申请当前状态为"${actual}"，此操作已不适用。`,
    }, { detail: { state: actual } });
  }
  if (e instanceof ConstraintError) return new KioskError('conflict', { en: 'That conflicts with what is already stored.', zh: '与已保存的内容冲突。' });
  if (e instanceof DatabaseCorruptError) {
    logger.error('database damaged', { method });
    return new KioskError('storage', { en: 'The local database is damaged. Stop and call hospital IT; nothing has been deleted.', zh: '本地数据库已损坏。请停止操作并联系医院信息科，数据未被删除。' });
  }
  logger.error('store error', { method, code: e.code });
  return new KioskError('storage', { en: 'The local database refused this; nothing was changed. Call hospital IT if it happens again.', zh: '本地数据库拒绝了此操作，未做任何更改。如再次出现请联系医院信息科。' }, { detail: { code: e.code } });
}
