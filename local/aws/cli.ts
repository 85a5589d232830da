/**
 * `make local-up` / `make local-down`: a local AWS that outlives the command, for
 * `serverless invoke local --stage local` and for poking around with the SDK or the AWS CLI.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startMoto } from './moto-server';
import { provisionStack } from './provision';

const STATE_DIR = '.local-aws';
const STATE_FILE = `${STATE_DIR}/state.json`;

interface LocalAwsState {
  endpoint: string;
  pid: number;
}

function readState(): LocalAwsState | undefined {
  return existsSync(STATE_FILE)
    ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as LocalAwsState)
    : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function up() {
  const previous = readState();
  if (previous && isRunning(previous.pid)) {
    console.log(`local AWS already running at ${previous.endpoint} (pid ${previous.pid})`);
    return;
  }
  const moto = await startMoto({ detached: true });
  const pid = moto.pid;
  const stack = await provisionStack({ endpoint: moto.endpoint });
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ endpoint: moto.endpoint, pid }, null, 2));
  console.log(`local AWS at ${moto.endpoint} (pid ${pid}), stack ${stack.stackName} provisioned`);
  console.log('Point the SDK or serverless at it:');
  console.log(`  export AWS_ENDPOINT_URL=${moto.endpoint} AWS_REGION=${stack.region} \\`);
  console.log('         AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\');
  console.log(`         LAKE_KMS_KEY_ARN=${stack.outputs.LakeKeyArn}`);
}

function down() {
  const state = readState();
  if (!state) {
    console.log('no local AWS recorded in .local-aws/state.json');
    return;
  }
  if (isRunning(state.pid)) process.kill(state.pid, 'SIGTERM');
  rmSync(STATE_DIR, { recursive: true, force: true });
  console.log(`stopped the local AWS at ${state.endpoint}`);
}

const command = process.argv[2];
if (command === 'up') await up();
else if (command === 'down') down();
else {
  console.error('usage: cli.ts up|down');
  process.exitCode = 2;
}
