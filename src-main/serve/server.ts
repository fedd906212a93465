/**
 * Browser mode: the same services as the desktop app, bound to a WebSocket
 * instead of Electron IPC, for testing in a real browser and for running the
 * engine on another machine through an SSH tunnel (same port on both ends).
 * Bound to 127.0.0.1 only; every request must name our own host (127.0.0.1
 * or localhost with our port: a DNS-rebound name is refused), the socket
 * needs the random token from the URL and our own Origin, a message's
 * structure is bounded before it is decoded, and every call is validated
 * with the contract's schemas, as IPC calls are. A run's files (analysis
 * outputs, exports) download from /run-file with the same token, confined
 * to that run's folder.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { StudioHandlers } from '../../src-shared/protocol/studio-api';
import { dispatchStudioCall } from '../../src-shared/protocol/studio-dispatch';
import { MsgpackLimitError } from '../../src-shared/protocol/msgpack-limits';
import type { MsgpackLimits } from '../../src-shared/protocol/msgpack-limits';
import { RUN_FILE_ROUTE, parseRunFileQuery } from '../../src-shared/protocol/run-files';
import { decodeWire, encodeWire, eventMessage } from '../../src-shared/protocol/wire';
import type { WireCall, WireMessage } from '../../src-shared/protocol/wire';
import type { TrainingService } from '../services/training-service';
import { serveRunFile } from './run-files';
import { serveStatic } from './static-files';

/** Largest message a client may send: project files are at most 16 MB. */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/**
 * The structure a client's message may have. A real call nests a few levels
 * (a project's graph: about 6) and holds thousands of items at most; bulk
 * data travels as one string, binary or typed array. Checked before decoding,
 * so a frame of millions of nested empty arrays is refused in microseconds
 * instead of holding the event loop for seconds.
 */
export const MESSAGE_LIMITS: MsgpackLimits = { maxDepth: 32, maxItems: 200_000, maxLength: 100_000, maxBytes: MAX_MESSAGE_BYTES };

/** What the server needs. */
export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The renderer build (out/renderer). */
  rendererDir: string;
  handlers: StudioHandlers;
  training: TrainingService;
  /** The runs folder, whose files /run-file offers for download; none are offered without it. */
  runsDir?: string;
  /** Fixed token (tests); random by default. */
  token?: string;
}

/** A running server. */
export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function answer(ws: WebSocket, call: WireCall, handlers: StudioHandlers): Promise<void> {
  const outcome = await dispatchStudioCall(handlers, call.name, call.args, (name, e) => console.error(`${name} failed:`, e));
  const reply: WireMessage = { t: 'result', id: call.id, ...outcome };
  if (ws.readyState === ws.OPEN) ws.send(encodeWire(reply));
}

/** Starts the browser-mode server on 127.0.0.1. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  // A page on another name (DNS rebinding: evil.example resolving to 127.0.0.1) sends its own name as Host.
  const ownHost = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const http = createServer((req, res) => {
    if (!ownHost(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end(`Refused: this server answers only to 127.0.0.1:${port} and localhost:${port}.\n`);
      return;
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === RUN_FILE_ROUTE) return void downloadRunFile(req, res);
    void serveStatic(options.rendererDir, req, res);
  });
  // A run's files need the token, as the socket does: the server may read anything the person can.
  const downloadRunFile = (req: IncomingMessage, res: ServerResponse) => {
    const query = parseRunFileQuery(new URL(req.url ?? '/', 'http://127.0.0.1'));
    if (req.method !== 'GET' || !query || !sameToken(query.token, token) || !options.runsDir) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Refused: a download needs the token from the address Autoencoder Studio printed.\n');
      return;
    }
    serveRunFile(options.runsDir, query, res).catch((e: Error) => {
      console.error(`Download of ${query.file} failed:`, e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`Could not send ${query.file}: ${e.message}. Try again, or find it in the run's folder on the server.\n`);
    });
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const allowed = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (!ownHost(req) || url.pathname !== '/studio' || !sameToken(url.searchParams.get('token'), token) || !origin || !allowed.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    const off = options.training.onEvent((payload) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeWire(eventMessage('training.event', payload)));
    });
    ws.on('close', off);
    // Protocol errors (an oversized frame, bad framing) close this socket; they must not take the server down.
    ws.on('error', (e) => console.error(`Closed a browser connection: ${e.message}`));
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        message = isBinary ? decodeWire(new Uint8Array(data as Buffer), MESSAGE_LIMITS) : null;
      } catch (e) {
        if (e instanceof MsgpackLimitError) {
          ws.close(1009, 'Message structure over limits'); // "message too big", as for an oversized frame
          return;
        }
        message = null;
      }
      const call = message as Partial<WireCall> | null;
      if (!call || call.t !== 'call' || typeof call.id !== 'number' || typeof call.name !== 'string' || !Array.isArray(call.args)) {
        ws.close(1003, 'Malformed message');
        return;
      }
      void answer(ws, call as WireCall, options.handlers);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
