/**
 * Every TCP connection starts here. DynamoDB requests in the plain form every SDK sends (HTTP/1.1 POST with
 * x-amz-target and a Content-Length body) are parsed and answered on the socket directly: node:http's
 * request and response objects, streams and events cost about as much per request as Basalt's own work on
 * a small item. Anything else (S3, a chunked or Expect body, an unusual or malformed head) hands the
 * connection, with the bytes read so far, to node:http for the rest of its life; node:http documents
 * `'connection'` as the way to give it a socket, and its parser then gives the request the standard answer.
 *
 * One request is served at a time per connection; pipelined requests wait in the buffer, so answers keep
 * their order. A connection is handed over only between requests, when no answer of ours is pending.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { parseRequestHead, type RequestHead } from './request-head';
import { writeSoon } from './reply-batch';

export interface FastPathHandlers {
  /** Whether the fast path serves this request (given its head and Content-Length); else node:http does. */
  accepts(head: RequestHead, contentLength: number): boolean;
  /** Serves one accepted request; `respond` must be called exactly once. */
  serve(head: RequestHead, body: Buffer, respond: (status: number, headers: string[], body: Buffer) => void): void;
  /** Gives the connection to node:http; `buffered` (maybe empty) is what was read and not yet served. */
  handOff(socket: Socket, buffered: Buffer): void;
  /** A socket idle this long (no request in progress) is closed, as node:http's keepAliveTimeout does. */
  keepAliveMs: number;
  /** A request whose head (or whole) has not arrived this long after its first byte closes its connection (node:http's headersTimeout, requestTimeout). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

const EMPTY = Buffer.alloc(0);
/** Answers up to this size are written as one buffer, head and body together. */
const COPY_MAX = 16 * 1024;
/** Bytes of pipelined requests buffered while one is served, before the socket is paused. */
const PIPELINE_MAX = 1024 * 1024;
const CONTENT_LENGTH = /^[0-9]{1,9}$/;

/** The Date header, formatted once a second. */
let dateSecond = -1;
let dateHeader = '';
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = new Date(now).toUTCString();
  }
  return dateHeader;
}

function wantsClose(head: RequestHead): boolean {
  const connection = head.headers.connection;
  return typeof connection === 'string' && /(^|,)\s*close\s*(,|$)/i.test(connection);
}

export class FastConnection {
  /** Bytes read and not yet consumed (a head, or what follows the current request). */
  private buffered: Buffer = EMPTY;
  /** A parsed head whose body is still arriving into `body`. */
  private head: RequestHead | undefined;
  private body: Buffer = EMPTY;
  private filled = 0;
  private inFlight = false;
  /** When the first byte of the request still arriving came (0: none is arriving). */
  private arrivingSince = 0;
  private closeAfterReply = false;
  private gone = false;
  private readonly onData = (chunk: Buffer): void => this.received(chunk);
  private readonly onEnd = (): void => this.ended();
  private readonly onError = (): void => {
    this.socket.destroy();
  };
  private readonly onTimeout = (): void => {
    if (!this.inFlight && this.head === undefined) this.socket.destroy();
  };
  private readonly onClose = (): void => {
    this.gone = true;
    this.closed(this);
  };

  constructor(
    private readonly socket: Socket,
    private readonly handlers: FastPathHandlers,
    private readonly closed: (connection: FastConnection) => void,
  ) {
    socket.setTimeout(handlers.keepAliveMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('timeout', this.onTimeout);
    socket.on('close', this.onClose);
  }

  /** Between requests, with nothing read of the next one. */
  get idle(): boolean {
    return !this.inFlight && this.head === undefined && this.buffered.length === 0;
  }

  /** Closes the connection if a request has been arriving for too long (slow or stalled clients). */
  expire(now: number): void {
    if (this.arrivingSince === 0) return;
    const limit = this.head === undefined ? this.handlers.headersTimeoutMs : this.handlers.requestTimeoutMs;
    if (now - this.arrivingSince > limit) this.socket.destroy();
  }

  /** For a server that is stopping: closes now if idle, else after the answer in progress. */
  closeWhenIdle(): void {
    this.closeAfterReply = true;
    if (this.idle) this.socket.end();
  }

  private received(chunk: Buffer): void {
    if (this.head !== undefined) {
      const take = Math.min(chunk.length, this.body.length - this.filled);
      chunk.copy(this.body, this.filled, 0, take);
      this.filled += take;
      if (take < chunk.length) this.buffered = chunk.subarray(take);
      if (this.filled < this.body.length) return;
      const { head, body } = this;
      this.head = undefined;
      this.body = EMPTY;
      this.dispatch(head, body);
      return;
    }
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    // Requests pipelined behind the one being served wait in memory up to a point, then in the socket.
    if (this.inFlight && this.buffered.length > PIPELINE_MAX) this.socket.pause();
    this.next();
  }

  /** Takes the next request from the buffer, if one is there and none is being served. */
  private next(): void {
    if (this.inFlight || this.gone) return;
    if (this.socket.isPaused()) this.socket.resume();
    if (this.buffered.length === 0) return;
    const head = parseRequestHead(this.buffered, 0);
    if (head === 'incomplete') {
      if (this.arrivingSince === 0) this.arrivingSince = Date.now();
      return;
    }
    const contentLength = head === 'unsupported' ? undefined : head.headers['content-length'];
    const length = typeof contentLength === 'string' && CONTENT_LENGTH.test(contentLength) ? Number(contentLength) : -1;
    if (head === 'unsupported' || length < 0 || !this.handlers.accepts(head, length)) return this.handOff();
    const available = this.buffered.length - head.end;
    if (available >= length) {
      const body = this.buffered.subarray(head.end, head.end + length);
      this.buffered = available === length ? EMPTY : this.buffered.subarray(head.end + length);
      this.dispatch(head, body);
      return;
    }
    // The body is still arriving: copied into a buffer of its size as it comes.
    if (this.arrivingSince === 0) this.arrivingSince = Date.now();
    this.head = head;
    this.body = Buffer.allocUnsafe(length);
    this.filled = this.buffered.copy(this.body, 0, head.end);
    this.buffered = EMPTY;
  }

  private dispatch(head: RequestHead, body: Buffer): void {
    this.inFlight = true;
    this.arrivingSince = 0;
    if (wantsClose(head)) this.closeAfterReply = true;
    let answered = false;
    this.handlers.serve(head, body, (status, headers, answer) => {
      // One answer per request, even from a handler that fails after answering.
      if (answered) return;
      answered = true;
      this.reply(status, headers, answer);
    });
  }

  private reply(status: number, headers: string[], body: Buffer): void {
    let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
    for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
    text += `Date: ${httpDate()}\r\n`;
    text += this.closeAfterReply ? 'Connection: close\r\n\r\n' : `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.handlers.keepAliveMs / 1000)}\r\n\r\n`;
    // A small answer goes out as one buffer; a large body is not copied behind its head.
    let head: Buffer;
    let rest: Buffer | undefined;
    if (body.length <= COPY_MAX) {
      const headLength = Buffer.byteLength(text, 'latin1');
      head = Buffer.allocUnsafe(headLength + body.length);
      head.write(text, 0, headLength, 'latin1');
      body.copy(head, headLength);
    } else {
      head = Buffer.from(text, 'latin1');
      rest = body;
    }
    writeSoon(() => {
      this.inFlight = false;
      if (this.gone) return;
      const { socket } = this;
      let flowing: boolean;
      if (rest === undefined && !this.closeAfterReply) {
        // One buffer: written straight through, without corking's buffered list.
        flowing = socket.write(head);
      } else {
        socket.cork();
        socket.write(head);
        flowing = rest ? socket.write(rest) : !socket.writableNeedDrain;
        if (this.closeAfterReply) socket.end();
        socket.uncork();
        if (this.closeAfterReply) return;
      }
      // A client that pipelines requests without reading the answers is not served faster than it reads.
      if (flowing) this.next();
      else socket.once('drain', () => this.next());
    });
  }

  private ended(): void {
    // The client sent all it will: answer what is complete, then close (node:http does the same).
    this.closeAfterReply = true;
    if (!this.inFlight) this.socket.end();
  }

  private handOff(): void {
    const { socket } = this;
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('timeout', this.onTimeout);
    socket.off('close', this.onClose);
    socket.setTimeout(0);
    const buffered = this.buffered;
    this.buffered = EMPTY;
    this.gone = true;
    this.closed(this);
    this.handlers.handOff(socket, buffered);
  }
}
