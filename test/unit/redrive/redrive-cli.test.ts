import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../local/redrive';

const cloudFormationMock = mockClient(CloudFormationClient);
/** Stands in for AWS answering: the CLI got past choosing where to send its calls. */
const REACHED_AWS = 'ListStackResources reached';

describe('Function: main (redrive CLI)', () => {
  beforeEach(() => {
    cloudFormationMock.reset();
    cloudFormationMock.on(ListStackResourcesCommand).rejects(new Error(REACHED_AWS));
  });

  it('exits 1 with one line naming make local-up when --stage local finds no local AWS', async () => {
    // Prepare
    const printed: string[] = [];
    const errors: string[] = [];

    // Act
    const exitCode = await main(
      ['quarantine', '--stage', 'local'],
      {},
      (line) => printed.push(line),
      { printError: (line) => errors.push(line), localAwsEndpoint: () => undefined },
    );

    // Assess
    expect(exitCode).toBe(1);
    expect(errors).toEqual(['error: no local AWS is running; start one with `make local-up`']);
    expect(printed).toEqual([]);
    expect(cloudFormationMock.calls()).toHaveLength(0);
  });

  it.each([
    ['another stage', ['quarantine', '--stage', 'prod'], {}, 'streamlake-prod'],
    [
      'AWS_ENDPOINT_URL',
      ['quarantine', '--stage', 'local'],
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      'streamlake-local',
    ],
    ['--endpoint', ['failures', '--endpoint', 'http://127.0.0.1:4566'], {}, 'streamlake-local'],
  ])('goes on to the stack without a local AWS given %s', async (_, argv, env, stackName) => {
    // Prepare
    const errors: string[] = [];

    // Act
    const run = main(argv, env, () => undefined, {
      printError: (line) => errors.push(line),
      localAwsEndpoint: () => undefined,
    });

    // Assess
    await expect(run).rejects.toThrow(REACHED_AWS);
    expect(errors).toEqual([]);
    expect(cloudFormationMock.commandCalls(ListStackResourcesCommand)[0]?.args[0].input).toEqual({
      StackName: stackName,
      NextToken: undefined,
    });
  });
});
