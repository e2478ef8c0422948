import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.yaml': 'text/yaml',
  '.pt': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.f32': 'application/octet-stream',
  '.zip': 'application/zip',
};

export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface StaticServerOptions {
  /** URL prefix ('/demo/') -> folder on disk. */
  mounts: Record<string, string>;
  /** Extra handlers tried first; return true when handled. */
  routes?: Route[];
  /** Send COOP/COEP so pages can use wasm threads. */
  crossOriginIsolated?: boolean;
  port?: number;
}

export interface RunningServer {
  origin: string;
  server: Server;
  close(): Promise<void>;
}

/** A small static file server bound to 127.0.0.1 (tests and `npm start`; never exposed beyond loopback). */
export async function startStaticServer(opts: StaticServerOptions): Promise<RunningServer> {
  // Longest prefix first, so '/characters/' wins over '/'.
  const mounts = Object.entries(opts.mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    if (opts.crossOriginIsolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    // Extension pages are cross-origin isolated: they may only fetch what allows it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    for (const route of opts.routes ?? []) if (route(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    for (const [prefix, dir] of mounts) {
      if (!path.startsWith(prefix)) continue;
      let file = normalize(join(dir, path.slice(prefix.length)));
      if (file !== dir && !file.startsWith(dir + sep)) break; // no escaping the mount
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) break; // the longest matching mount decides
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': statSync(file).size,
      });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
