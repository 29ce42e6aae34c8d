import { execFile } from 'node:child_process';

export interface PythonResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Python script (boto3 is on the machine) with `args` and `ENDPOINT` in its environment. The user's AWS
 * config files are hidden so that only what the script says reaches Basalt.
 */
export function python(script: string, endpoint: string, args: string[] = []): Promise<PythonResult> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', script, ...args],
      { env: { ...process.env, ENDPOINT: endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
}
