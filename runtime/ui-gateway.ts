import http from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';

export interface UiGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * The Temporal Web UI and the API's codec (`/codec`: decode, encode, session sign-in) on one origin. The UI calls the
 * codec endpoint from the browser with fetch's default credentials mode, which sends cookies only to its own origin
 * (https://developer.mozilla.org/en-US/docs/Web/API/Request/credentials); the dev server's UI has no setting to
 * include them cross-origin (`temporal server start-dev` v1.5.1 passes only `Codec.Endpoint` to the UI server). So
 * `npm start` serves the UI through this pass-through on TEMPORAL_UI_PORT: `/codec/*` goes to the API, everything
 * else to the dev server's UI on an internal port. Support staff sign in at <ui>/codec/session once and the UI decodes
 * with the admin session cookie, no UI settings. Production does the same with one reverse-proxy host (README).
 */
export async function startUiGateway(opts: { host: string; port: number; uiTarget: string; codecTarget: string }): Promise<UiGateway> {
  const ui = new URL(opts.uiTarget);
  const codec = new URL(opts.codecTarget);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const target = req.url === '/codec' || req.url?.startsWith('/codec/') ? codec : ui;
    // Host is kept: the UI server checks the browser's Origin against it for its CSRF protection.
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${target === codec ? 'the API' : 'the Temporal UI'} at ${target.origin} did not answer: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} (TEMPORAL_UI_PORT) is in use: stop what listens there or set TEMPORAL_UI_PORT`) : err),
    );
    server.listen(opts.port, opts.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
