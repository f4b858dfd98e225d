/**
 * What every handler map shares: the service's dependencies, the desk's hospital and mode, the session
 * held in memory, and the few helpers more than one area needs (the signed-in actor, the sync status, a
 * registration's detail with its audit trail, submit-mode validation).
 */
import type { Store, StoredRequest } from '../../../db';
import type { DistrictCode } from '../../../domain/codes';
import { getHospital } from '../../../domain/hospitals';
import type { Registration, RegistrationInput, ServiceRequest } from '../../../domain/types';
import { validateRegistration } from '../../../domain/validate';
import { isTrainingMode, type DeskConfig, type Language } from '../../config/schema';
import type { RegistrationDetail, Staff, SyncStatus } from '../contract';
import type { CallContext, KioskHandlers } from '../dispatch';
import type { EventHub } from '../events';
import type { CityApiProbe, DevicePort, Logger, ReceiptPort, SyncPort, TrainingCityFaults } from '../ports';
import { SYNC_NOT_STARTED } from '../ports';
import type { PrintQueue } from '../../print/queue';
import { KioskError } from '../result';

export interface KioskServiceDeps {
  store: Store;
  config: DeskConfig;
  events: EventHub;
  logger: Logger;
  /** What the diagnostics screen shows about this installation. */
  host: { version: string; configFile: string | null; dataDir: string; lockedKeys?: readonly string[]; /** setup area: what the desk set aside at start */ notices?: string[] };
  now?: () => Date;
  sync?: SyncPort;
  devices?: DevicePort;
  receipts?: ReceiptPort;
  probeCityApi?: CityApiProbe;
  /** printing: the desk's print queue (absent = printing answers `unavailable`). */
  print?: Pick<PrintQueue, 'submit' | 'retry' | 'status'>;
  /** Training mode only: the embedded city's fault switch (issue 12). */
  trainingCity?: TrainingCityFaults;
}

/** Some of the contract's methods: each area's handler map is typed from the contract through this. */
export type HandlerMap = Partial<KioskHandlers>;

export interface HandlerContext {
  deps: KioskServiceDeps;
  store: Store;
  config: DeskConfig;
  logger: Logger;
  now: () => Date;
  training: boolean;
  hospital: { code: string; name: string; nameEn: string; district: DistrictCode };
  /** The session lives in memory only: a restart signs everybody out. */
  state: { session: { staff: Staff; locked: boolean; pinChangeRequired?: boolean; lastActivity?: number } | null; language: Language };
  actorOf(ctx: CallContext): string;
  syncStatus(): SyncStatus;
  detail(registration: Registration, requests: ServiceRequest[]): RegistrationDetail;
  loadDetail(id: string): RegistrationDetail;
  validateForSubmit(input: unknown): RegistrationInput;
}

export const LANGUAGE_SETTING = 'ui.language';

/** True when hospital IT's config file sets `language`: no user setting overrides it. */
export const languageLockedByIt = (deps: Pick<KioskServiceDeps, 'host'>): boolean => deps.host.lockedKeys?.includes('language') ?? false;

const OFFLINE_STATUS: SyncStatus = { ...SYNC_NOT_STARTED, lastError: 'sync is not running on this desk' };

export function createHandlerContext(deps: KioskServiceDeps): HandlerContext {
  const { store, config } = deps;
  const now = deps.now ?? (() => new Date());
  const found = getHospital(config.hospitalCode);
  if (!found) throw new Error(`unknown hospital code ${config.hospitalCode}`);

  const c: HandlerContext = {
    deps,
    store,
    config,
    logger: deps.logger,
    now,
    training: isTrainingMode(config),
    hospital: { code: found.code, name: found.zh, nameEn: found.en, district: found.district },
    // IT's `language` wins where IT set it (issue 12); otherwise the desk preference, then the default
    state: { session: null, language: languageLockedByIt(deps) ? config.language : ((store.settings.get(LANGUAGE_SETTING) as Language | undefined) ?? config.language) },

    actorOf(ctx) {
      if (!ctx.actor) throw new KioskError('unauthenticated', { en: 'Please sign in first.', zh: '请先登录。' });
      return ctx.actor.staffId;
    },

    syncStatus() {
      if (!deps.sync) return { ...OFFLINE_STATUS, queueDepth: store.requests.queueDepth(), held: store.requests.countByState().held };
      return deps.sync.status();
    },

    detail(registration, requests) {
      const subjects = [registration.id, ...requests.map((r) => r.id)];
      const audit = subjects
        .flatMap((subjectId) => store.audit.list({ subjectId, limit: 100 }))
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, subjectId: e.subjectId }));
      return { registration, requests: requests.map(toServiceRequest), audit };
    },

    loadDetail(id) {
      const registration = store.registrations.get(id);
      if (!registration) throw notFound('registration');
      return c.detail(registration, store.requests.listForRegistration(id));
    },

    validateForSubmit(input) {
      const report = validateRegistration(input, { now: now(), mode: 'submit' });
      if (!report.ok) {
        throw new KioskError(
          'invalid',
          { en: `${report.issues.length} field(s) need correcting before submit.`, zh: `提交前有 ${report.issues.length} 处需要更正。` },
          { fields: report.issues },
        );
      }
      return report.value;
    },
  };
  return c;
}

export function toServiceRequest(r: StoredRequest | ServiceRequest): ServiceRequest {
  const { revision: _r, leaseOwner: _o, leaseUntil: _u, ...rest } = r as StoredRequest;
  return rest;
}

export function notFound(what: 'registration' | 'request'): KioskError {
  return what === 'registration'
    ? new KioskError('not_found', { en: 'No registration with that id on this desk.', zh: '本机没有这条登记。' })
    : new KioskError('not_found', { en: 'No request with that id on this desk.', zh: '本机没有这项申请。' });
}

export function unavailable(what: string): KioskError {
  return new KioskError('unavailable', { en: `${what} is not available on this desk right now.`, zh: '该功能当前在本机不可用。' });
}
