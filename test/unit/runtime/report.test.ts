import { describe, expect, it } from 'vitest';
import { DEFAULT_ASYNC_SETTINGS } from '../../../local/runtime/async-rules';
import { lambdaContextOf } from '../../../local/runtime/lambda-context';
import { formatTable } from '../../../local/runtime/report';

describe('Function: formatTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    // Act
    const table = formatTable(
      ['shard', 'records'],
      [
        ['shardId-000000000000', 7],
        ['s1', 1234],
      ],
    );

    // Assess
    expect(table).toBe(
      [
        'shard                 records',
        '--------------------  -------',
        'shardId-000000000000        7',
        's1                       1234',
      ].join('\n'),
    );
  });
});

describe('Function: lambdaContextOf', () => {
  it('counts the remaining time down to the function Timeout', () => {
    // Prepare
    let now = 1_000_000;
    const spec = {
      logicalId: 'IngestLambdaFunction',
      name: 'streamlake-local-ingest',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-ingest',
      handler: 'handlers/ingest.handler',
      timeoutSeconds: 120,
      memoryMb: 1769,
      environment: {},
      roleArn: '',
      async: DEFAULT_ASYNC_SETTINGS,
    };

    // Act
    const context = lambdaContextOf(spec, now + 120_000, () => now, 'req-1');
    const atStart = context.getRemainingTimeInMillis();
    now += 119_500;
    const nearEnd = context.getRemainingTimeInMillis();

    // Assess
    expect([atStart, nearEnd]).toEqual([120_000, 500]);
    expect(context).toMatchObject({
      functionName: 'streamlake-local-ingest',
      functionVersion: '$LATEST',
      memoryLimitInMB: '1769',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/streamlake-local-ingest',
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});
