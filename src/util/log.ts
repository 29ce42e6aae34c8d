import type { LogLevel } from '../config';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A plain line logger: info to stdout, warnings and errors to stderr. */
export function createLogger(level: LogLevel): Logger {
  const at = ORDER[level];
  const write = (lvl: LogLevel, stream: NodeJS.WriteStream) => (message: string) => {
    if (ORDER[lvl] >= at) stream.write(`${message}\n`);
  };
  return {
    debug: write('debug', process.stdout),
    info: write('info', process.stdout),
    warn: write('warn', process.stderr),
    error: write('error', process.stderr),
  };
}
