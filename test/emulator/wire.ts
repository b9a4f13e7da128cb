import { connect, type Socket } from "node:net";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { ROOT_KEY } from "./helpers";

/*
 * Attacks over a real socket against a listening emulator: requests sent in pieces, bodies that
 * arrive late or never, concurrent calls while a function runs.
 */

export async function listening(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, rootKey: ROOT_KEY, ...options });
}

/** JSON over fetch with a key; returns status and parsed body. */
export async function call(
  server: RunningEmulator,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; project?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any route, read by tests
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? ROOT_KEY}` };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.project) headers["x-admindo-project"] = options.project;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** A raw HTTP/1.1 exchange: write the head now, more bytes later, read the whole answer. */
export interface RawExchange {
  socket: Socket;
  send(bytes: string): void;
  /** The answer: status code and JSON body ("" body when none); resolves when the server answers. */
  answer: Promise<{ status: number; headers: string; body: string; closed: boolean }>;
}

export function openRequest(
  server: RunningEmulator,
  head: {
    method: string;
    path: string;
    key?: string;
    contentLength: number;
    headers?: Record<string, string>;
  },
): RawExchange {
  const socket = connect(server.port, "127.0.0.1");
  const lines = [
    `${head.method} ${head.path} HTTP/1.1`,
    "Host: 127.0.0.1",
    `Authorization: Bearer ${head.key ?? ROOT_KEY}`,
    "Content-Type: application/json",
    `Content-Length: ${head.contentLength}`,
    ...Object.entries(head.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  const answer = new Promise<{ status: number; headers: string; body: string; closed: boolean }>(
    (resolve, reject) => {
      let data = "";
      let settled = false;
      const settle = (closed: boolean) => {
        const end = data.indexOf("\r\n\r\n");
        if (settled || end === -1) return;
        const headers = data.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
        const body = data.slice(end + 4);
        if (!closed && Buffer.byteLength(body) < length) return;
        settled = true;
        resolve({ status: Number(data.slice(9, 12)), headers, body, closed });
      };
      socket.setTimeout(30_000, () => socket.destroy(new Error("no answer within 30 s")));
      socket.on("data", (chunk) => {
        data += chunk.toString("utf8");
        settle(false);
      });
      socket.on("close", () => {
        settle(true);
        if (!settled) reject(new Error(`connection closed without an answer: ${JSON.stringify(data)}`));
      });
      socket.on("error", (error) => {
        if (!settled) reject(error);
      });
    },
  );
  return { socket, send: (bytes) => socket.write(bytes), answer };
}

/** Resolves when the socket closes (the server hung up). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once("close", () => resolve())));
}
