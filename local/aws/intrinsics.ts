import type { CfnTemplate } from './template';

/** What is known about the provisioned stack while template values are resolved. */
export interface StackFacts {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** logical id -> physical id (Ref value of most types) */
  readonly physicalIds: Record<string, string>;
}

const PSEUDO: Record<string, (f: StackFacts) => string> = {
  'AWS::Region': (f) => f.region,
  'AWS::AccountId': (f) => f.accountId,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (f) => f.stackName,
  'AWS::StackId': (f) =>
    `arn:aws:cloudformation:${f.region}:${f.accountId}:stack/${f.stackName}/local`,
};

/** The value CloudFormation gives `Ref` of a resource, parameter or pseudo parameter. */
export function refOf(facts: StackFacts, name: string): string {
  const pseudo = PSEUDO[name];
  if (pseudo) return pseudo(facts);
  const physical = facts.physicalIds[name];
  if (physical === undefined) throw new Error(`Ref ${name}: no such resource in the local stack`);
  const type = facts.template.Resources[name]?.Type;
  return type === 'AWS::Lambda::Function' || type === 'AWS::Kinesis::Stream'
    ? lastSegment(physical)
    : physical;
}

function lastSegment(value: string): string {
  return value.split(/[/:]/).pop() ?? value;
}

/** `Fn::GetAtt` for the attributes streamlake's template uses, derived as AWS derives them. */
export function getAtt(facts: StackFacts, logicalId: string, attribute: string): string {
  const type = facts.template.Resources[logicalId]?.Type;
  const id = facts.physicalIds[logicalId];
  if (!type || id === undefined) throw new Error(`GetAtt ${logicalId}.${attribute}: unknown`);
  const { region: r, accountId: a } = facts;
  const name = lastSegment(id);
  const arns: Record<string, string> = {
    'AWS::S3::Bucket': `arn:aws:s3:::${id}`,
    'AWS::SQS::Queue': `arn:aws:sqs:${r}:${a}:${name}`,
    'AWS::SNS::Topic': id,
    'AWS::Kinesis::Stream': `arn:aws:kinesis:${r}:${a}:stream/${name}`,
    'AWS::KMS::Key': `arn:aws:kms:${r}:${a}:key/${id}`,
    'AWS::Lambda::Function': `arn:aws:lambda:${r}:${a}:function:${name}`,
    'AWS::IAM::Role': `arn:aws:iam::${a}:role/${name}`,
    'AWS::StepFunctions::StateMachine': id,
    'AWS::Events::Rule': `arn:aws:events:${r}:${a}:rule/${name}`,
    'AWS::Logs::LogGroup': `arn:aws:logs:${r}:${a}:log-group:${id}:*`,
  };
  if (attribute === 'Arn' && arns[type]) return arns[type];
  if (attribute === 'QueueName' || attribute === 'TopicName' || attribute === 'Name') return name;
  if (attribute === 'QueueUrl') return id;
  if (attribute === 'DomainName') return `${id}.s3.amazonaws.com`;
  if (attribute === 'LatestVersionNumber' || attribute === 'DefaultVersionNumber') return '1';
  throw new Error(`GetAtt ${logicalId}.${attribute} (${type}) is not derivable locally`);
}

function substitute(facts: StackFacts, text: string, vars: Record<string, unknown>): string {
  return text.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => {
    if (expr in vars) return String(resolveIntrinsics(facts, vars[expr]));
    const [id, attribute] = expr.split('.', 2);
    return attribute ? getAtt(facts, id ?? '', attribute) : refOf(facts, expr);
  });
}

/** Resolves Ref, GetAtt, Sub, Join, Select, Split in a template value; other values pass through. */
export function resolveIntrinsics(facts: StackFacts, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(facts, v));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, arg] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined) {
    if (key === 'Ref') return refOf(facts, String(arg));
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.', 2);
      return getAtt(facts, String(id), String(attribute));
    }
    if (key === 'Fn::Sub') {
      if (typeof arg === 'string') return substitute(facts, arg, {});
      const [text, vars] = arg as [string, Record<string, unknown>];
      return substitute(facts, text, vars ?? {});
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return (resolveIntrinsics(facts, parts) as unknown[]).join(sep);
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number | string, unknown];
      return (resolveIntrinsics(facts, list) as unknown[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [sep, text] = arg as [string, unknown];
      return String(resolveIntrinsics(facts, text)).split(sep);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(facts, v)]));
}
