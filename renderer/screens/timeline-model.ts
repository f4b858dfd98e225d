/**
 * What the request timeline says, as plain data (timeline area, clerk walk): which dependencies a request still
 * waits for and which are met (the dependency's request has its number), the time of each step where the
 * request records it (created = queued, last change = the state it is in now), and the 2-hour target line.
 */
import { FINAL_STATES, type RequestState, type Service } from '../../domain/codes';
import { formatDeskTime } from '../../domain/dates';
import type { ServiceRequest } from '../../domain/types';

export const TARGET_MS = 2 * 3600_000;

export interface DependencyStatus {
  waiting: Service[];
  met: { service: Service; documentNumber: string }[];
}

/** A dependency is met once the request for that service in the same registration has its document number. */
export function dependencyStatus(r: ServiceRequest, all: readonly ServiceRequest[]): DependencyStatus {
  const out: DependencyStatus = { waiting: [], met: [] };
  for (const s of r.dependsOn) {
    const dep = all.find((x) => x.registrationId === r.registrationId && x.service === s && x.documentNumber);
    if (dep?.documentNumber) out.met.push({ service: s, documentNumber: dep.documentNumber });
    else out.waiting.push(s);
  }
  return out;
}

/**
 * The time shown under each step: only what the request records (no history is kept): `queued` at its creation,
 * and the state it is in now (or the final one) at its last change. Steps passed in between have no known time.
 */
export function stepTimes(r: ServiceRequest, steps: readonly RequestState[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const s of steps) out[s] = s === 'queued' ? formatDeskTime(r.createdAt) : s === r.state ? formatDeskTime(r.updatedAt) : null;
  return out;
}

export type TargetLine =
  | { key: 'timeline.doneWithin'; time: Duration }
  | { key: 'timeline.doneLate'; time: Duration; over: Duration }
  | { key: 'timeline.left'; time: Duration }
  | { key: 'timeline.overdue'; time: Duration };

/** A duration as whole hours and minutes; `under` when it is less than a minute (not "0:00"). */
export interface Duration {
  h: number;
  m: number;
  under: boolean;
}

export function duration(ms: number): Duration {
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { h: Math.floor(total / 60), m: total % 60, under: total === 0 };
}

/**
 * The 2-hour target, counted from the registration: a final request says how long it took and whether that was
 * within the target ("已办结，用时 3 分钟（在 2 小时内）"), an open one how much is left or how far over it is.
 */
export function targetLine(r: ServiceRequest, registeredAt: string, nowMs: number): TargetLine {
  const started = Date.parse(registeredAt);
  if (FINAL_STATES.includes(r.state)) {
    const took = Math.max(0, Date.parse(r.updatedAt) - started);
    return took <= TARGET_MS ? { key: 'timeline.doneWithin', time: duration(took) } : { key: 'timeline.doneLate', time: duration(took), over: duration(took - TARGET_MS) };
  }
  const left = started + TARGET_MS - nowMs;
  return left >= 0 ? { key: 'timeline.left', time: duration(left) } : { key: 'timeline.overdue', time: duration(left) };
}
