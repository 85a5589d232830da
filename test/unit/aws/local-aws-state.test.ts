import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alreadyRunningLines,
  type LocalAwsState,
  readLocalAwsState,
  startedLines,
  writeLocalAwsState,
} from '../../../local/aws/local-aws-state';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/4ffc0ddf-40e8-4c3e-938e-f97ce6fe1ac4';
const STATE: LocalAwsState = {
  endpoint: 'http://127.0.0.1:35197',
  pid: 16951,
  region: 'us-east-1',
  stackName: 'streamlake-local',
  lakeKmsKeyArn: KEY_ARN,
};
const EXPORTS = [
  'Point the SDK or serverless at it:',
  '  export AWS_ENDPOINT_URL=http://127.0.0.1:35197 AWS_REGION=us-east-1 \\',
  '         AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\',
  `         LAKE_KMS_KEY_ARN=${KEY_ARN}`,
];

describe('Function: startedLines', () => {
  it('names the endpoint, pid and stack, then prints the exports', () => {
    // Act
    const lines = startedLines(STATE);

    // Assess
    expect(lines).toEqual([
      'local AWS at http://127.0.0.1:35197 (pid 16951), stack streamlake-local provisioned',
      ...EXPORTS,
    ]);
  });
});

describe('Function: alreadyRunningLines', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same exports as the first make local-up, read back from the state file', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'streamlake-local-aws-'));
    dirs.push(dir);
    const file = join(dir, '.local-aws', 'state.json');
    writeLocalAwsState(STATE, file);
    const recorded = readLocalAwsState(file);

    // Act
    const lines = recorded ? alreadyRunningLines(recorded) : [];

    // Assess
    expect(lines).toEqual([
      'local AWS already running at http://127.0.0.1:35197 (pid 16951)',
      ...EXPORTS,
    ]);
  });

  it('says how to get the exports when the state was recorded without them', () => {
    // Act
    const lines = alreadyRunningLines({ endpoint: 'http://127.0.0.1:35197', pid: 16951 });

    // Assess
    expect(lines).toEqual([
      'local AWS already running at http://127.0.0.1:35197 (pid 16951)',
      'its exports were not recorded; run `make local-down` and `make local-up` to see them',
    ]);
  });
});

describe('Function: readLocalAwsState', () => {
  it('answers undefined when no local AWS is recorded', () => {
    // Act
    const recorded = readLocalAwsState(join(tmpdir(), 'streamlake-no-such-dir', 'state.json'));

    // Assess
    expect(recorded).toBeUndefined();
  });
});
