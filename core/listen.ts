import type { Express } from 'express';
import type { Server, Socket } from 'node:net';
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
