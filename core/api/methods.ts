/**
 * The names of KioskApi's methods and pushed events, and nothing else: no zod, no schema, no import. The one
 * list both sides share: `contract.ts` keys its method and event tables by these names (checked by the
 * compiler: a name missing from a table, or a table key missing here, fails the typecheck), and the sandboxed
 * preload builds `window.kiosk` from them without carrying the schemas (the main process validates).
 */
export const METHOD_NAMES = [
  // session
  'getSession',
  'signIn',
  'signOut',
  'lock',
  'unlock',
  'setLanguage',
  // config, health, staff
  'getHealth',
  'listStaff',
  'saveStaff',
  // drafts and validation
  'validateDraft',
  'saveDraft',
  'getDraft',
  'listDrafts',
  'discardDraft',
  'checkDuplicates',
  // submit, lists, detail
  'submit',
  'listRegistrations',
  'todaySummary',
  'getRegistration',
  'retryRequest',
  'amendRequest',
  'receiptPdf',
  // bundle area (issue 12): a service added to a filed registration
  'addService',
  // sync
  'syncNow',
  'getSyncStatus',
  // devices (the two simulate* are training only)
  'listDevices',
  'simulateCardTap',
  'simulateScan',
  // printing (core/print's queue: the receipt on the configured printer, its state, retry of a refused job)
  'printReceipt',
  'printStatus',
  'printRetry',
  // training (issue 12): sample cards, the training hospital, the simulated city's faults
  'trainingTapSample',
  'trainingSetHospital',
  'trainingSetCity',
  // first account (issue 12 item 7): IT's one-time set-up of the first admin
  'firstAdminStatus',
  'setUpFirstAdmin',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['idCardRead', 'barcodeScanned', 'deviceStatus', 'syncProgress', 'requestStatusChanged', 'sessionChanged', /* printing */ 'printJob'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

const METHODS: ReadonlySet<string> = new Set(METHOD_NAMES);
const EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && METHODS.has(name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && EVENTS.has(name);
}
