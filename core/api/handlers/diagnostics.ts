/** Diagnostics and sync: the health screen, the sync status, sync now. */
import { INTEGRITY_CHECK } from '../../../db';
import type { Health } from '../contract';
import type { HandlerContext, HandlerMap } from './context';

export function diagnosticsHandlers(c: HandlerContext) {
  const { store, deps, training } = c;
  return {
    getHealth: async (): Promise<Health> => {
      // Nothing here walks the file or the audit chain (this runs on the desk's loop at every device event): both
      // come from the last background check (db/integrity.ts); the anchor is compared with the live event count.
      const db = store.health();
      const chain = db.integrity?.auditChain ?? null;
      const events = store.audit.count();
      const anchor = store.anchor(); // data area: the loss anchor beside the key

      const city = deps.probeCityApi ? await deps.probeCityApi() : { reachable: null, latencyMs: null, detail: 'not configured' };
      return {
        version: deps.host.version,
        training,
        configFile: deps.host.configFile,
        dataDir: deps.host.dataDir,
        notices: deps.host.notices ?? [],
        database: {
          ok: db.integrity?.ok !== false && chain?.ok !== false,
          integrity: {
            check: INTEGRITY_CHECK,
            state: !db.integrity ? 'not_yet' : db.integrity.ok ? 'ok' : 'damaged',
            at: db.integrity?.at ?? null,
            ageMs: db.integrity ? Math.max(0, Math.round(c.now().getTime() - Date.parse(db.integrity.at))) : null,
            durationMs: db.integrity?.durationMs ?? null,
            findings: db.integrity?.findings ?? [],
          },
          schemaVersion: db.schemaVersion,
          sizeBytes: db.sizeBytes + db.walBytes,
          auditChain: chain,
          auditEvents: events,
          anchor: { kept: anchor.file !== null, count: anchor.count, matches: anchor.file === null || anchor.count <= events },
        },
        cityApi: {
          url: c.config.cityApi?.url ?? null, // null in training: the page says "the embedded training simulator" in the clerk's language
          reachable: city.reachable,
          latencyMs: city.latencyMs,
          checkedAt: c.now().toISOString(),
          detail: city.detail,
        },
        sync: c.syncStatus(),
        devices: deps.devices?.list() ?? [],
        countsByState: store.requests.countByState(),
      };
    },

    syncNow: async () => (deps.sync ? deps.sync.syncNow() : c.syncStatus()),
    getSyncStatus: () => c.syncStatus(),
  } satisfies HandlerMap;
}
