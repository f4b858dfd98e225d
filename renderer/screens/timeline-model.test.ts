// timeline area (clerk walk): "waits for" goes once the dependency has its number; step times; the target line.
import { describe, expect, it } from 'vitest';
import { REQUEST_STATES } from '../../domain/codes';
import { queuedRequest, type ServiceRequest } from '../../domain/types';
import { dependencyStatus, stepTimes, targetLine } from './timeline-model';

const REG = '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80';
const AT = '2026-12-02T05:00:00.000Z'; // 13:00 at the desk

function req(service: ServiceRequest['service'], over: Partial<ServiceRequest> = {}): ServiceRequest {
  const id = `0195a3c2-7b4e-7c1d-9f2a-${service.length.toString().padStart(12, '0')}`;
  const fresh = queuedRequest({ id, registrationId: REG, service, jurisdiction: '330302', dependsOn: [], payload: {}, idempotencyKey: `k-${service}` }, AT);
  return { ...fresh, nextAttemptAt: null, ...over };
}

describe('request timeline', () => {
  it('waits for the birth certificate until it has its number, then says it is in hand', () => {
    const household = req('household_registration', { dependsOn: ['birth_certificate'] });
    const pending = req('birth_certificate', { state: 'in_review' });
    expect(dependencyStatus(household, [pending, household])).toEqual({ waiting: ['birth_certificate'], met: [] });
    const issued = req('birth_certificate', { state: 'issued', documentNumber: 'Q330000123' });
    expect(dependencyStatus(household, [issued, household])).toEqual({ waiting: [], met: [{ service: 'birth_certificate', documentNumber: 'Q330000123' }] });
  });

  it('shows the time of each step it knows, in desk time', () => {
    const r = req('birth_certificate', { state: 'accepted', updatedAt: '2026-12-02T05:10:30.000Z' });
    const times = stepTimes(r, REQUEST_STATES.filter((s) => ['queued', 'sending', 'accepted', 'in_review'].includes(s)));
    expect(times).toEqual({ queued: '2026-12-02 13:00', sending: null, accepted: '2026-12-02 13:10', in_review: null });
  });

  it('says how long a finished request took, in words, and whether it was within the 2 hours', () => {
    const quick = req('birth_certificate', { state: 'issued', updatedAt: '2026-12-02T05:00:20.000Z' });
    expect(targetLine(quick, AT, Date.parse(AT))).toEqual({ key: 'timeline.doneWithin', time: { h: 0, m: 0, under: true } });
    const late = req('birth_certificate', { state: 'issued', updatedAt: '2026-12-02T07:25:00.000Z' });
    expect(targetLine(late, AT, Date.parse(AT))).toEqual({ key: 'timeline.doneLate', time: { h: 2, m: 25, under: false }, over: { h: 0, m: 25, under: false } });
    const open = req('birth_certificate', { state: 'in_review' });
    expect(targetLine(open, AT, Date.parse(AT) + 30 * 60_000)).toEqual({ key: 'timeline.left', time: { h: 1, m: 30, under: false } });
  });
});
