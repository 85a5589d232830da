import { describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/aws/provision';
import type { CfnTemplate } from '../../../local/aws/template';
import { UnsupportedMappingError } from '../../../local/runtime/errors';
import { readStackMappings } from '../../../local/runtime/mappings';

/** Reading functions and mappings from a packaged template (entries as Serverless writes them). */

const TEMPLATE: CfnTemplate = {
  Resources: {
    IngestStream: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2 } },
    IngestFailureQueue: { Type: 'AWS::SQS::Queue' },
    CrawlerEventsQueue: { Type: 'AWS::SQS::Queue' },
    LakeBucket: { Type: 'AWS::S3::Bucket' },
    IngestLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Handler: 'handlers/ingest.handler',
        FunctionName: 'streamlake-local-ingest',
        MemorySize: 1769,
        Timeout: 120,
        Role: { 'Fn::GetAtt': ['IngestIamRoleLambdaExecution', 'Arn'] },
        Environment: {
          Variables: { LAKE_BUCKET: { Ref: 'LakeBucket' }, INGEST_WRITE_CONCURRENCY: '8' },
        },
      },
    },
    IngestIamRoleLambdaExecution: { Type: 'AWS::IAM::Role' },
    StartCrawlerLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Handler: 'handlers/start-crawler.handler',
        FunctionName: 'streamlake-local-startCrawler',
      },
    },
    StartCrawlerLambdaEvConf: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'StartCrawlerLambdaFunction' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailureQueue', 'Arn'] } },
        },
      },
    },
    IngestEventSourceMappingKinesisIngestStream: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 500,
        Enabled: true,
        EventSourceArn: { 'Fn::GetAtt': ['IngestStream', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['IngestLambdaFunction', 'Arn'] },
        ParallelizationFactor: 1,
        StartingPosition: 'TRIM_HORIZON',
        MaximumBatchingWindowInSeconds: 0,
        MaximumRetryAttempts: 5,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRecordAgeInSeconds: 86400,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailureQueue', 'Arn'] } },
        },
      },
    },
    StartCrawlerEventSourceMappingSQSCrawlerEventsQueue: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        EventSourceArn: { 'Fn::GetAtt': ['CrawlerEventsQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['StartCrawlerLambdaFunction', 'Arn'] },
        Enabled: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      },
    },
  },
};

function stackOf(template: CfnTemplate): LocalStack {
  return {
    endpoint: 'http://127.0.0.1:5000',
    region: 'us-east-1',
    accountId: '123456789012',
    stackName: 'streamlake-local',
    template,
    resources: {
      IngestStream: 'streamlake-local-IngestStream-ABC',
      IngestFailureQueue:
        'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-local-IngestFailureQueue-DEF',
      CrawlerEventsQueue:
        'https://sqs.us-east-1.amazonaws.com/123456789012/streamlake-local-CrawlerEventsQueue-GHI',
      LakeBucket: 'streamlake-local-lake-123456789012-us-east-1',
      IngestLambdaFunction: 'streamlake-local-ingest',
      IngestIamRoleLambdaExecution: 'streamlake-local-ingest-role',
      StartCrawlerLambdaFunction: 'streamlake-local-startCrawler',
    },
    outputs: {},
    ruleDeliveries: [],
  };
}

describe('Function: readStackMappings', () => {
  it('resolves the Kinesis mapping settings exactly as the template states them', () => {
    // Act
    const { kinesis } = readStackMappings(stackOf(TEMPLATE));

    // Assess
    expect(kinesis).toEqual([
      {
        kind: 'kinesis',
        logicalId: 'IngestEventSourceMappingKinesisIngestStream',
        functionLogicalId: 'IngestLambdaFunction',
        streamArn:
          'arn:aws:kinesis:us-east-1:123456789012:stream/streamlake-local-IngestStream-ABC',
        streamName: 'streamlake-local-IngestStream-ABC',
        batchSize: 500,
        maximumBatchingWindowInSeconds: 0,
        parallelizationFactor: 1,
        startingPosition: 'TRIM_HORIZON',
        startingPositionTimestamp: undefined,
        retry: {
          reportBatchItemFailures: true,
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 5,
          maximumRecordAgeInSeconds: 86400,
        },
        onFailureDestination:
          'arn:aws:sqs:us-east-1:123456789012:streamlake-local-IngestFailureQueue-DEF',
      },
    ]);
  });

  it('resolves the SQS mapping and the function, its environment and EventInvokeConfig', () => {
    // Act
    const { sqs, functions } = readStackMappings(stackOf(TEMPLATE));

    // Assess
    expect(sqs).toEqual([
      {
        kind: 'sqs',
        logicalId: 'StartCrawlerEventSourceMappingSQSCrawlerEventsQueue',
        functionLogicalId: 'StartCrawlerLambdaFunction',
        queueArn: 'arn:aws:sqs:us-east-1:123456789012:streamlake-local-CrawlerEventsQueue-GHI',
        queueName: 'streamlake-local-CrawlerEventsQueue-GHI',
        batchSize: 100,
        maximumBatchingWindowInSeconds: 1,
        reportBatchItemFailures: true,
        maximumConcurrency: 2,
      },
    ]);
    expect(functions.get('IngestLambdaFunction')).toMatchObject({
      name: 'streamlake-local-ingest',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:streamlake-local-ingest',
      handler: 'handlers/ingest.handler',
      timeoutSeconds: 120,
      memoryMb: 1769,
      roleArn: 'arn:aws:iam::123456789012:role/streamlake-local-ingest-role',
      environment: {
        LAKE_BUCKET: 'streamlake-local-lake-123456789012-us-east-1',
        INGEST_WRITE_CONCURRENCY: '8',
      },
      async: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 },
    });
    expect(functions.get('StartCrawlerLambdaFunction')).toMatchObject({
      timeoutSeconds: 3,
      memoryMb: 128,
      async: {
        maximumRetryAttempts: 1,
        maximumEventAgeInSeconds: 3600,
        onFailure: 'arn:aws:sqs:us-east-1:123456789012:streamlake-local-IngestFailureQueue-DEF',
        onSuccess: undefined,
      },
    });
  });

  it("applies Lambda's defaults to a bare Kinesis mapping and skips a disabled one", () => {
    // Prepare
    const template: CfnTemplate = {
      Resources: {
        ...TEMPLATE.Resources,
        IngestEventSourceMappingKinesisIngestStream: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['IngestStream', 'Arn'] },
            FunctionName: { Ref: 'IngestLambdaFunction' },
            StartingPosition: 'LATEST',
          },
        },
        StartCrawlerEventSourceMappingSQSCrawlerEventsQueue: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['CrawlerEventsQueue', 'Arn'] },
            FunctionName: { Ref: 'StartCrawlerLambdaFunction' },
            Enabled: false,
          },
        },
      },
    };

    // Act
    const { kinesis, sqs } = readStackMappings(stackOf(template));

    // Assess
    expect(kinesis[0]).toMatchObject({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      parallelizationFactor: 1,
      startingPosition: 'LATEST',
      retry: {
        reportBatchItemFailures: false,
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
      },
      onFailureDestination: undefined,
    });
    expect(sqs).toEqual([]);
  });

  it.each([
    ['TumblingWindowInSeconds', { TumblingWindowInSeconds: 30 }],
    ['FilterCriteria', { FilterCriteria: { Filters: [{ Pattern: '{}' }] } }],
  ])('refuses a mapping with %s, which it does not emulate', (_name, extra) => {
    // Prepare
    const mapping = TEMPLATE.Resources.IngestEventSourceMappingKinesisIngestStream;
    const template: CfnTemplate = {
      Resources: {
        ...TEMPLATE.Resources,
        IngestEventSourceMappingKinesisIngestStream: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { ...mapping?.Properties, ...extra },
        },
      },
    };

    // Act
    const reading = () => readStackMappings(stackOf(template));

    // Assess
    expect(reading).toThrow(UnsupportedMappingError);
  });
});
