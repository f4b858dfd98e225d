/**
 * Issue 13: tokenless requests must not have their bodies read. Four raw connections push endless chunked bodies
 * without a token (the issue saw 2.7 GB accepted in 6 s while normal calls slowed tenfold): each is answered 401
 * and its connection closed by the desk, so the bytes it could push stay bounded, and normal calls keep being
 * answered meanwhile.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useBrowserModeDesk } from './test-desk';

const desk = useBrowserModeDesk('desk-flood-');

interface Flood {
  status: Promise<string>;
  closed: Promise<number>;
  stop(): void;
}

/** A POST whose chunked body never ends, pushed as fast as the socket takes it. */
function flood(port: number, host: string): Flood {
  const socket = net.connect(port, '127.0.0.1');
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  let stopped = false;
  let head = '';
  const status = new Promise<string>((resolve) => {
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const line = head.split('\r\n')[0];
      if (line) resolve(line);
    });
  });
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(socket.bytesWritten)));
  socket.on('error', () => {});
  const pump = () => {
    while (!stopped && !socket.destroyed && socket.write(frame));
  };
  socket.on('connect', () => {
    socket.write(`POST /api/saveDraft HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    pump();
  });
  socket.on('drain', pump);
  return {
    status,
    closed,
    stop() {
      stopped = true;
      socket.destroy();
    },
  };
}

describe('tokenless bodies are not read', () => {
  it('four tokenless streams are refused with 401 and cut off; normal calls are answered meanwhile', async () => {
    const url = new URL(desk.mode.origin);
    const floods = Array.from({ length: 4 }, () => flood(Number(url.port), url.host));
    try {
      const lines = await Promise.all(floods.map((f) => f.status));
      for (const l of lines) expect(l).toMatch(/^HTTP\/1\.1 401/);
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`${desk.mode.origin}/api/getSession`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-desk-token': desk.mode.token }, body: '{}' });
        expect(r.status).toBe(200);
      }
      const timeout = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 3000).unref());
      const written = await Promise.all(floods.map((f) => Promise.race([f.closed, timeout])));
      // The desk closed every connection: none is left pushing into it.
      for (const w of written) expect(w).not.toBe('still open');
      // What each could push before the cut is bounded by the socket buffers, nowhere near the gigabytes of the issue.
      for (const w of written) expect(w as number).toBeLessThan(64 * 1024 * 1024);
    } finally {
      for (const f of floods) f.stop();
    }
  });
});
