/**
 * Issue 13, item 3: IT can pin the city's CA. A real TLS server on loopback (a certificate for 127.0.0.1 signed
 * by a CA made with openssl at test time) in front of the city simulator; a production desk (`startDesk`, real
 * store) with `cityApi.caFile` syncs through it; without the pin the desk refuses the certificate, the city gets
 * nothing and the sync status says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCitySimulator, type CitySimulator } from '../../city-api/server';
import type { Logger } from '../../core/api/ports';
import { DeskConfigSchema } from '../../core/config/schema';
import { startDesk, type RunningDesk } from '../../core/desk';
import { makeRegistration } from '../../db/test-helpers';
import { deriveRequests } from '../../domain/bundle';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} } as Logger;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let pki: { dir: string; caFile: string; key: string; cert: string };
beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nd-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test Hospital CA');
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  pki = { dir, caFile: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.pem'), 'utf8') };
  return () => rmSync(dir, { recursive: true, force: true });
});

/** The city simulator behind a TLS terminator on 127.0.0.1 (the hospital's reverse proxy). */
async function httpsCity(): Promise<{ sim: CitySimulator; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nd-tls-city-'));
  const sim = await startCitySimulator({ dataFile: path.join(dir, 'city.db'), credentials: 'any' });
  const simPort = Number(new URL(sim.url).port);
  const server = tls.createServer({ key: pki.key, cert: pki.cert }, (socket) => {
    const upstream = net.connect(simPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  cleanups.push(async () => {
    await new Promise((r) => server.close(r));
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sim, url: `https://127.0.0.1:${port}/` };
}

async function productionDesk(url: string, caFile?: string): Promise<RunningDesk> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nd-tls-desk-'));
  const config = DeskConfigSchema.parse({ hospitalCode: 'WZ01', deskId: 'desk-1', cityApi: { url, clientSecret: 'production-secret-1', ...(caFile ? { caFile } : {}) } });
  const desk = await startDesk({ dataDir, config, version: '0.0.0-test', startTrainingCity: startCitySimulator, logger: silent });
  cleanups.push(async () => {
    await desk.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const reg = makeRegistration(8100, { createdAt: new Date().toISOString() });
  desk.desk.store.registrations.submit({ registration: reg, requests: deriveRequests(reg, { hospitalDistrict: '330304', newId: uuidv7 }), actor: 'clerk', at: new Date().toISOString() });
  return desk;
}

async function until(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

describe("the city's CA pinned by IT (cityApi.caFile)", () => {
  it('pinned CA: the desk syncs over https with the hospital CA', async () => {
    const { sim, url } = await httpsCity();
    await productionDesk(url, pki.caFile);
    await until(() => sim.admin.listRequests().length > 0);
    expect(sim.admin.listRequests().length).toBeGreaterThan(0);
  });

  it('no pin: the certificate is refused, the city gets nothing, and the sync status says why', async () => {
    const { sim, url } = await httpsCity();
    const desk = await productionDesk(url);
    let lastError: string | null = null;
    await until(() => {
      void desk.dispatch('getSyncStatus', {}, 'internal').then((r) => {
        if (r.ok) lastError = (r.value as { lastError: string | null }).lastError;
      });
      return lastError !== null;
    });
    expect(lastError).toMatch(/certificate is not trusted .*cityApi\.caFile/);
    expect(sim.admin.listRequests()).toEqual([]);
  });
});
