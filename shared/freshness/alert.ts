import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { FreshnessReport } from './check';

const SUBJECT_LIMIT = 99;

/**
 * The one alert for every stale dataset of a check, or null when none is stale.
 * @example alertFor(topicArn, report, 'prod')?.Subject // '[streamlake prod] 2 stale dataset(s): orders, clickstream'
 */
export function alertFor(
  topicArn: string,
  report: FreshnessReport,
  stage: string,
): PublishCommandInput | null {
  if (report.stale.length === 0) return null;
  const names = report.stale.map((d) => d.dataset).join(', ');
  const subject = `[streamlake ${stage}] ${report.stale.length} stale dataset(s): ${names}`;
  const lines = report.stale.map((d) =>
    d.lastPartition === null
      ? `- ${d.dataset}: no partition in the lake`
      : `- ${d.dataset}: last partition ${d.lastPartition}, ${d.hoursSinceLastPartition} h ago`,
  );
  return {
    TopicArn: topicArn,
    Subject:
      subject.length <= SUBJECT_LIMIT ? subject : `${subject.slice(0, SUBJECT_LIMIT - 3)}...`,
    Message: [
      `No new partition for more than ${report.maxAgeHours} h (checked ${report.checkedAt.toISOString()}):`,
      ...lines,
    ].join('\n'),
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: 'freshness' },
      severity: { DataType: 'String', StringValue: 'WARN' },
      stage: { DataType: 'String', StringValue: stage },
    },
  };
}
