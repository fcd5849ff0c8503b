import type { Express } from 'express';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { type AddressInfo } from 'node:net';

export interface Listening {
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on loopback only and closes hard (open keep-alive sockets included), so tests never hang on shutdown. */
export async function listen(app: Express, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.on('error', reject);
  });
  // A client reuses an idle keep-alive socket until its own timeout (undici's fetch: 4 s); a server closing it first
  // (Node's default: 5 s) races that reuse, and on a loaded machine, where the client's timer fires late, the request
  // fails ("fetch failed": two R11 admin calls on 1 December). Idle sockets stay open longer than clients keep them
  // (65 s, also above the usual 60 s of a load balancer in front of the API); headers must still come within 66 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
