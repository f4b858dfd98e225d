/** Issue 12: the city issues one birth certificate per birth — the same mother, minute and order from another registration (any desk) is refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basePayload, item, startTestSim, type Client, type TestSim } from './testkit';

describe('one birth certificate per birth', () => {
  let t: TestSim;
  let deskA: Client;
  let deskB: Client;
  beforeAll(async () => {
    t = await startTestSim();
    deskA = await t.client('H001:desk-1');
    deskB = await t.client('H002:desk-9');
  });
  afterAll(() => t.stop());

  const birth = (birthDateTime: string, birthOrder = 1, plurality = 1) => {
    const p = basePayload();
    return { ...p, child: { ...(p.child as object), birthDateTime }, birth: { plurality, birthOrder } };
  };

  it('refuses a second certificate for the same mother and birth from another desk, naming the reason at the field', async () => {
    const first = await deskA.batch([item('birth_certificate', birth('2026-03-10T08:15'), { registrationId: 'reg-a' })]);
    expect(first.json.results[0].outcome).toBe('accepted');
    const second = await deskB.batch([item('birth_certificate', birth('2026-03-10T08:15'), { registrationId: 'reg-b' })]);
    expect(second.json.results[0].outcome).toBe('rejected');
    expect(second.json.results[0].errors[0]).toMatchObject({ path: 'payload.child.birthDateTime', code: 'birth_already_certified' });
    expect(second.json.results[0].errors[0].message).toMatch(/已有出生医学证明申请.*a second one is not issued/);
  });

  it('accepts twins (another birth order) and the same registration sent again', async () => {
    const twin1 = await deskA.batch([item('birth_certificate', birth('2026-03-11T09:00', 1, 2), { registrationId: 'reg-t1' })]);
    const twin2 = await deskA.batch([item('birth_certificate', birth('2026-03-11T09:00', 2, 2), { registrationId: 'reg-t2' })]);
    expect([twin1.json.results[0].outcome, twin2.json.results[0].outcome]).toEqual(['accepted', 'accepted']);
    const again = await deskA.batch([item('birth_certificate', birth('2026-03-11T09:00', 1, 2), { registrationId: 'reg-t1' })]);
    expect(again.json.results[0].outcome).toBe('accepted');
  });
});
