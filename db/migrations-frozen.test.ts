/**
 * Shipped migrations are frozen: their SQL (and so the checksum every installed desk checks on start) does not
 * depend on domain/. This file runs with domain/codes mocked to carry one more service and one more request
 * state, and shows every migration's checksum still equal to the one recorded when it shipped. The drift test
 * reads the CHECK lists of a freshly migrated database and compares them with the real (unmocked) domain
 * lists: when the domain grows, it fails until a new migration widens the CHECK.
 */
import { describe, expect, it, vi } from 'vitest';
import * as codes from '../domain/codes';
import { migrationChecksum } from './migrate';
import { MIGRATIONS } from './migrations';
import { tempStore } from './test-helpers';

vi.mock('../domain/codes', async (importOriginal) => {
  const real = await importOriginal<typeof import('../domain/codes')>();
  return { ...real, SERVICES: [...real.SERVICES, 'pet_licence'], REQUEST_STATES: [...real.REQUEST_STATES, 'lost_in_post'] };
});

/** The checksum of each migration as it shipped (sha256 of its SQL). Never edit a line: add one. */
const SHIPPED: Record<number, string> = {
  1: '182e5749de97ad49f014a1c9064915dbac924a8c062c0838cc36ce0e76084e53',
  2: '947cd4db67db41fd115c2a490907d7367c22f1a202691d9c1bd01448b3a99f2b',
  3: '631be2c3c2feb4f891ab6086fb0e8500c7878ef9e760b58237923646ac811217',
  4: '13b65244e5324f67ddc74986d7dd9517e05d79cfa9bf8c925581c06dc4858eb7',
  5: 'f60d3a348d6402fb7717578b3d42ca62f858c36f7b9ec56cb3183dbe80b837bb',
  6: 'e0f4f49798656fbf159a8cde2df957b25094d3e54bbf4b4a01b06d679be52b61',
  7: '69c12e911f0046dc3541edda6daee52724d7d17f2a161a8bb0b93b94e87f1cbe',
  8: '5071eadb26a4a9ecc90e139ceed868cc75fd8e3a59403722ff61afbce703f66f',
  9: '026957f44e8a49c0b5c71e06039352151a0a6b21a470a3ef58a86b67b8bb4afa',
};

/** The quoted values of `CHECK (<column> IN (...))` in a CREATE TABLE statement. */
function checkList(createSql: string, column: string): string[] {
  const m = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(createSql);
  if (!m) throw new Error(`no CHECK (${column} IN (...)) in ${createSql.slice(0, 80)}…`);
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!);
}

describe('migrations are frozen', () => {
  it('the domain seen by this file really has the extra service and state (the mock took)', () => {
    expect(codes.SERVICES).toContain('pet_licence');
    expect(codes.REQUEST_STATES).toContain('lost_in_post');
  });

  it('every migration keeps the checksum it shipped with although the domain lists changed', () => {
    for (const m of MIGRATIONS) {
      if (SHIPPED[m.id] === undefined) continue; // a migration newer than this table is pinned when it ships
      expect({ id: m.id, checksum: migrationChecksum(m) }).toEqual({ id: m.id, checksum: SHIPPED[m.id] });
    }
    expect(Object.keys(SHIPPED).length).toBeGreaterThanOrEqual(9);
  });

  it('no migration interpolates anything: its SQL has no template placeholder left and no domain value beyond its literal', () => {
    for (const m of MIGRATIONS) {
      expect(m.sql).not.toContain('pet_licence');
      expect(m.sql).not.toContain('lost_in_post');
    }
  });
});

describe('the CHECK lists of the migrated schema equal the domain lists of today', () => {
  it('service_requests.service and .state', async () => {
    const real = await vi.importActual<typeof import('../domain/codes')>('../domain/codes');
    const t = await tempStore();
    try {
      const db = await t.openRaw();
      const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'service_requests'`).pluck().get() as string;
      db.close();
      // Order too: a new value is a new migration that rebuilds the CHECK, which this test then reads.
      expect(checkList(sql, 'service'), 'domain SERVICES changed: add a migration that widens the CHECK').toEqual([...real.SERVICES]);
      expect(checkList(sql, 'state'), 'domain REQUEST_STATES changed: add a migration that widens the CHECK').toEqual([...real.REQUEST_STATES]);
    } finally {
      t.cleanup();
    }
  });
});
