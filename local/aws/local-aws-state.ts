/**
 * What `make local-up` records about the local AWS it leaves running (`.local-aws/state.json`):
 * enough for `make local-down` to stop it, for the redrive CLI to find it, and for a second
 * `make local-up` to print the same exports as the first.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const LOCAL_AWS_STATE_FILE = '.local-aws/state.json';

export interface LocalAwsState {
  readonly endpoint: string;
  readonly pid: number;
  readonly region: string;
  readonly stackName: string;
  /** `serverless invoke local` needs it as `--param lakeKmsKeyArn=…` (README). */
  readonly lakeKmsKeyArn: string;
}

/** A state file as read back: one written before the exports were kept has only these two. */
export type RecordedLocalAws = Pick<LocalAwsState, 'endpoint' | 'pid'> & Partial<LocalAwsState>;

/** The recorded local AWS, whether or not its process still runs. */
export function readLocalAwsState(file = LOCAL_AWS_STATE_FILE): RecordedLocalAws | undefined {
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as RecordedLocalAws)
    : undefined;
}

/** Records a local AWS this command left running. */
export function writeLocalAwsState(state: LocalAwsState, file = LOCAL_AWS_STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2));
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The recorded local AWS if its process still runs. */
export function runningLocalAws(file = LOCAL_AWS_STATE_FILE): RecordedLocalAws | undefined {
  const recorded = readLocalAwsState(file);
  return recorded && isProcessRunning(recorded.pid) ? recorded : undefined;
}

/** The shell exports that point the SDK, the AWS CLI and `serverless` at the local AWS. */
export function localAwsExports(state: LocalAwsState): string[] {
  return [
    'Point the SDK or serverless at it:',
    `  export AWS_ENDPOINT_URL=${state.endpoint} AWS_REGION=${state.region} \\`,
    '         AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\',
    `         LAKE_KMS_KEY_ARN=${state.lakeKmsKeyArn}`,
  ];
}

/** What `make local-up` prints after starting and provisioning a local AWS. */
export function startedLines(state: LocalAwsState): string[] {
  return [
    `local AWS at ${state.endpoint} (pid ${state.pid}), stack ${state.stackName} provisioned`,
    ...localAwsExports(state),
  ];
}

/**
 * What `make local-up` prints when the recorded local AWS still runs: the same exports as when it
 * started, or, for a state recorded without them, how to get them.
 */
export function alreadyRunningLines(recorded: RecordedLocalAws): string[] {
  const { endpoint, pid, region, stackName, lakeKmsKeyArn } = recorded;
  const running = `local AWS already running at ${endpoint} (pid ${pid})`;
  if (region === undefined || stackName === undefined || lakeKmsKeyArn === undefined)
    return [
      running,
      'its exports were not recorded; run `make local-down` and `make local-up` to see them',
    ];
  return [running, ...localAwsExports({ endpoint, pid, region, stackName, lakeKmsKeyArn })];
}
