import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';

/**
 * Glue never runs a job locally, so the demo announces its local Spark run the way Glue would:
 * a "Glue Job State Change" event with the real envelope, for a run the local Glue knows. With
 * `retryOf`, the event is that of Glue's retry of the run (`<run id>_attempt_1`), which the local
 * Glue cannot start.
 */
export async function announceJobRun(
  clients: { glue: GlueClient; events: EventBridgeClient },
  job: { name: string; state: 'SUCCEEDED' | 'FAILED'; message: string; retryOf?: string },
): Promise<string> {
  const JobRunId =
    job.retryOf === undefined
      ? ((await clients.glue.send(new StartJobRunCommand({ JobName: job.name }))).JobRunId ?? '')
      : `${job.retryOf}_attempt_1`;
  const severity = job.state === 'SUCCEEDED' ? 'INFO' : 'ERROR';
  const out = await clients.events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'aws.glue',
          DetailType: 'Glue Job State Change',
          Detail: JSON.stringify({
            jobName: job.name,
            severity,
            state: job.state,
            jobRunId: JobRunId,
            message: job.message,
          }),
        },
      ],
    }),
  );
  if (out.FailedEntryCount) throw new Error(`PutEvents refused the ${job.state} event`);
  return JobRunId;
}

/** Executions of a state machine, by status. */
export async function executionsOf(sfn: SFNClient, stateMachineArn: string) {
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
  return executions.map((e) => ({ name: e.name ?? '', status: e.status ?? '' }));
}

/** Instances launched for a job run (the fan-out tags them with the run id). */
export async function instancesForRun(ec2: EC2Client, runId: string) {
  const { Reservations = [] } = await ec2.send(new DescribeInstancesCommand({}));
  return Reservations.flatMap((r) => r.Instances ?? []).filter((i) =>
    (i.Tags ?? []).some((t) => t.Value === runId),
  );
}
