import type { RunInstancesCommandInput, Tag } from '@aws-sdk/client-ec2';
import type { GlueJobStateChange } from './event';
import { clientTokenFor } from './tokens';

/** The launch template (and pinned version) the post-processing instance starts from. */
export interface LaunchTemplateRef {
  readonly id: string;
  readonly version: string;
}

/** EC2 tag values are at most 256 characters. */
const TAG_VALUE_LIMIT = 256;

function tag(Key: string, value: string): Tag {
  return { Key, Value: value.slice(0, TAG_VALUE_LIMIT) };
}

/**
 * RunInstances input for one post-processing instance of a job run. The `ClientToken` comes from
 * the template, run id and state, so a redelivered event returns the instance of the first call
 * instead of launching another. Everything else is derived from the event alone, so a repeat
 * carries the same parameters (a repeat with other parameters would be IdempotentParameterMismatch).
 * Instance and volume tags name the run; the template exposes them to the instance's metadata.
 */
export function launchInputFor(
  template: LaunchTemplateRef,
  change: GlueJobStateChange,
): RunInstancesCommandInput {
  const { jobName, jobRunId, state } = change.detail;
  const tags = [
    tag('Name', `streamlake post-processing ${jobName} ${state}`),
    tag('streamlake:job-name', jobName),
    tag('streamlake:job-run-id', jobRunId),
    tag('streamlake:job-state', state),
  ];
  return {
    LaunchTemplate: { LaunchTemplateId: template.id, Version: template.version },
    MinCount: 1,
    MaxCount: 1,
    ClientToken: clientTokenFor(template.id, change.detail),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}
