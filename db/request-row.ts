/** Row ↔ object mapping for service_requests (shared by the repositories and db/sync-repo.ts). */
import type { DistrictCode, RequestState, Service } from '../domain/codes';
import type { StoredRequest } from './types';

export interface RequestRow {
  id: string;
  registration_id: string;
  service: string;
  jurisdiction: string;
  depends_on: string;
  /** The whole payload text (readers splice a shared one first: db/payload-share.ts). */
  payload: string;
  payload_shared?: number;
  idempotency_key: string;
  revision: number;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  server_id: string | null;
  server_status: string | null;
  reason: string | null;
  document_number: string | null;
  created_at: string;
  updated_at: string;
}

export function requestFromRow(r: RequestRow): StoredRequest {
  return {
    id: r.id,
    registrationId: r.registration_id,
    service: r.service as Service,
    jurisdiction: r.jurisdiction as DistrictCode,
    dependsOn: JSON.parse(r.depends_on) as Service[],
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    idempotencyKey: r.idempotency_key,
    revision: r.revision,
    state: r.state as RequestState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    serverId: r.server_id,
    serverStatus: r.server_status,
    reason: r.reason,
    documentNumber: r.document_number,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
