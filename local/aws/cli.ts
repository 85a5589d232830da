/**
 * `make local-up` / `make local-down`: a local AWS that outlives the command, for
 * `serverless invoke local --stage local` and for poking around with the SDK or the AWS CLI.
 */

import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  alreadyRunningLines,
  isProcessRunning,
  LOCAL_AWS_STATE_FILE,
  type LocalAwsState,
  readLocalAwsState,
  startedLines,
  writeLocalAwsState,
} from './local-aws-state';
import { startMoto } from './moto-server';
import { provisionStack } from './provision';

async function up() {
  const previous = readLocalAwsState();
  if (previous && isProcessRunning(previous.pid)) {
    for (const line of alreadyRunningLines(previous)) console.log(line);
    return;
  }
  const moto = await startMoto({ detached: true });
  const stack = await provisionStack({ endpoint: moto.endpoint });
  const state: LocalAwsState = {
    endpoint: moto.endpoint,
    pid: moto.pid,
    region: stack.region,
    stackName: stack.stackName,
    lakeKmsKeyArn: stack.outputs.LakeKeyArn ?? '',
  };
  writeLocalAwsState(state);
  for (const line of startedLines(state)) console.log(line);
}

function down() {
  const state = readLocalAwsState();
  if (!state) {
    console.log(`no local AWS recorded in ${LOCAL_AWS_STATE_FILE}`);
    return;
  }
  if (isProcessRunning(state.pid)) process.kill(state.pid, 'SIGTERM');
  rmSync(dirname(LOCAL_AWS_STATE_FILE), { recursive: true, force: true });
  console.log(`stopped the local AWS at ${state.endpoint}`);
}

const command = process.argv[2];
if (command === 'up') await up();
else if (command === 'down') down();
else {
  console.error('usage: cli.ts up|down');
  process.exitCode = 2;
}
