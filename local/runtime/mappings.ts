import { resolveIntrinsics, type StackFacts } from '../aws/intrinsics';
import type { LocalStack } from '../aws/provision';
import { logicalIdsOfType } from '../aws/template';
import { type AsyncSettings, DEFAULT_ASYNC_SETTINGS } from './async-rules';
import { UnsupportedMappingError } from './errors';
import type { StreamRetrySettings } from './stream-rules';

/**
 * The functions and event-source mappings of the packaged template, resolved against the local
 * stack: the same values `serverless deploy` would hand to Lambda. Defaults are Lambda's
 * (developer guide: services-kinesis-parameters, services-sqs-parameters, configuration-timeout).
 */

/** A function of the stack and what the local runtime needs to run it. */
export interface FunctionSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `handlers/ingest.handler`: module path and export name. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly roleArn: string;
  /** Its EventInvokeConfig (asynchronous invocations: EventBridge, schedules). */
  readonly async: AsyncSettings;
}

/** A Kinesis event-source mapping. */
export interface KinesisMapping {
  readonly kind: 'kinesis';
  readonly logicalId: string;
  readonly functionLogicalId: string;
  readonly streamArn: string;
  readonly streamName: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly parallelizationFactor: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  readonly startingPositionTimestamp: number | undefined;
  readonly retry: StreamRetrySettings;
  /** ARN of the SQS queue or SNS topic that receives discarded batches' metadata. */
  readonly onFailureDestination: string | undefined;
}

/** An SQS event-source mapping. */
export interface SqsMapping {
  readonly kind: 'sqs';
  readonly logicalId: string;
  readonly functionLogicalId: string;
  readonly queueArn: string;
  readonly queueName: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** `ScalingConfig.MaximumConcurrency`; the local runtime runs this many pollers (default 1). */
  readonly maximumConcurrency: number;
}

export interface StackMappings {
  readonly functions: ReadonlyMap<string, FunctionSpec>;
  readonly kinesis: readonly KinesisMapping[];
  readonly sqs: readonly SqsMapping[];
}

type Props = Record<string, unknown>;

const lastSegment = (arn: string): string => arn.split(/[/:]/).pop() ?? arn;
const num = (value: unknown, fallback: number): number =>
  value === undefined || value === null ? fallback : Number(value);
const bool = (value: unknown): boolean => value === true || value === 'true';

function functionsOf(stack: LocalStack, facts: StackFacts): Map<string, FunctionSpec> {
  const functions = new Map<string, FunctionSpec>();
  for (const logicalId of logicalIdsOfType(stack.template, 'AWS::Lambda::Function')) {
    if (stack.resources[logicalId] === undefined) continue;
    const props = stack.template.Resources[logicalId]?.Properties ?? {};
    const resolve = (value: unknown) => resolveIntrinsics(facts, value);
    const variables = ((props.Environment as Props | undefined)?.Variables ?? {}) as Props;
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables))
      environment[name] = String(resolve(value));
    functions.set(logicalId, {
      logicalId,
      name: resolve({ Ref: logicalId }) as string,
      arn: resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) as string,
      handler: String(props.Handler),
      timeoutSeconds: num(props.Timeout, 3),
      memoryMb: num(props.MemorySize, 128),
      environment,
      roleArn: props.Role === undefined ? '' : String(resolve(props.Role)),
      async: DEFAULT_ASYNC_SETTINGS,
    });
  }
  for (const logicalId of logicalIdsOfType(stack.template, 'AWS::Lambda::EventInvokeConfig')) {
    const raw = stack.template.Resources[logicalId]?.Properties ?? {};
    const props = resolveIntrinsics(facts, raw) as Props;
    const spec = functionOf(functions, logicalId, String(props.FunctionName));
    const destinations = (props.DestinationConfig ?? {}) as Record<string, Props | undefined>;
    functions.set(spec.logicalId, {
      ...spec,
      async: {
        maximumRetryAttempts: num(props.MaximumRetryAttempts, 2),
        maximumEventAgeInSeconds: num(props.MaximumEventAgeInSeconds, 21_600),
        onFailure: destinations.OnFailure?.Destination as string | undefined,
        onSuccess: destinations.OnSuccess?.Destination as string | undefined,
      },
    });
  }
  return functions;
}

function functionOf(functions: Map<string, FunctionSpec>, logicalId: string, name: string) {
  for (const spec of functions.values())
    if (spec.arn === name || spec.name === name || spec.arn.endsWith(`:${name}`)) return spec;
  throw new UnsupportedMappingError(
    logicalId,
    `FunctionName ${name} is not a function of the stack`,
  );
}

function refuseUnsupported(logicalId: string, props: Props): void {
  if (num(props.TumblingWindowInSeconds, 0) > 0)
    throw new UnsupportedMappingError(logicalId, 'TumblingWindowInSeconds is not emulated');
  if (props.FilterCriteria !== undefined)
    throw new UnsupportedMappingError(logicalId, 'FilterCriteria is not emulated');
  if ((props.DestinationConfig as Props | undefined)?.OnSuccess !== undefined)
    throw new UnsupportedMappingError(logicalId, 'an OnSuccess destination is not emulated');
}

function kinesisMappingOf(logicalId: string, props: Props, fn: FunctionSpec): KinesisMapping {
  const source = String(props.EventSourceArn);
  // A consumer ARN (enhanced fan-out) is `…:stream/<name>/consumer/<consumer>:<time>`.
  const streamArn = source.replace(/\/consumer\/.*$/, '');
  const destination = ((props.DestinationConfig as Props | undefined)?.OnFailure as Props)
    ?.Destination as string | undefined;
  if (destination && !/^arn:[\w-]+:(sqs|sns):/.test(destination))
    throw new UnsupportedMappingError(logicalId, `on-failure destination ${destination}`);
  const position = String(props.StartingPosition ?? 'LATEST');
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST' && position !== 'AT_TIMESTAMP')
    throw new UnsupportedMappingError(logicalId, `StartingPosition ${position}`);
  const types = (props.FunctionResponseTypes as unknown[] | undefined) ?? [];
  return {
    kind: 'kinesis',
    logicalId,
    functionLogicalId: fn.logicalId,
    streamArn,
    streamName: lastSegment(streamArn),
    batchSize: num(props.BatchSize, 100),
    maximumBatchingWindowInSeconds: num(props.MaximumBatchingWindowInSeconds, 0),
    parallelizationFactor: num(props.ParallelizationFactor, 1),
    startingPosition: position,
    startingPositionTimestamp:
      props.StartingPositionTimestamp === undefined
        ? undefined
        : Number(props.StartingPositionTimestamp),
    retry: {
      reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
      bisectBatchOnFunctionError: bool(props.BisectBatchOnFunctionError),
      maximumRetryAttempts: num(props.MaximumRetryAttempts, -1),
      maximumRecordAgeInSeconds: num(props.MaximumRecordAgeInSeconds, -1),
    },
    onFailureDestination: destination,
  };
}

function sqsMappingOf(logicalId: string, props: Props, fn: FunctionSpec): SqsMapping {
  const queueArn = String(props.EventSourceArn);
  const types = (props.FunctionResponseTypes as unknown[] | undefined) ?? [];
  return {
    kind: 'sqs',
    logicalId,
    functionLogicalId: fn.logicalId,
    queueArn,
    queueName: lastSegment(queueArn),
    batchSize: num(props.BatchSize, 10),
    maximumBatchingWindowInSeconds: num(props.MaximumBatchingWindowInSeconds, 0),
    reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
    maximumConcurrency: num((props.ScalingConfig as Props | undefined)?.MaximumConcurrency, 1),
  };
}

/**
 * Reads every function and enabled event-source mapping of the stack's template.
 * @throws UnsupportedMappingError for a mapping feature the runtime does not emulate
 */
export function readStackMappings(stack: LocalStack): StackMappings {
  const facts: StackFacts = { ...stack, physicalIds: stack.resources };
  const functions = functionsOf(stack, facts);
  const kinesis: KinesisMapping[] = [];
  const sqs: SqsMapping[] = [];
  for (const logicalId of logicalIdsOfType(stack.template, 'AWS::Lambda::EventSourceMapping')) {
    const raw = stack.template.Resources[logicalId]?.Properties ?? {};
    const props = resolveIntrinsics(facts, raw) as Props;
    if (props.Enabled === false || props.Enabled === 'false') continue;
    refuseUnsupported(logicalId, props);
    const fn = functionOf(functions, logicalId, String(props.FunctionName));
    const source = String(props.EventSourceArn);
    if (/^arn:[\w-]+:kinesis:/.test(source)) kinesis.push(kinesisMappingOf(logicalId, props, fn));
    else if (/^arn:[\w-]+:sqs:/.test(source)) sqs.push(sqsMappingOf(logicalId, props, fn));
    else throw new UnsupportedMappingError(logicalId, `event source ${source}`);
  }
  return { functions, kinesis, sqs };
}
