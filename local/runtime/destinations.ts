import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Sends a document to an on-failure destination (an SQS queue or an SNS topic, by ARN). */
export type DestinationSender = (destinationArn: string, body: string) => Promise<void>;

/** The SQS queue URL of a queue ARN (`arn:aws:sqs:<region>:<account>:<name>`). */
export async function queueUrlOf(sqs: SQSClient, queueArn: string): Promise<string> {
  const [, , , , account, name] = queueArn.split(':');
  const out = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
  );
  if (!out.QueueUrl) throw new Error(`no queue URL for ${queueArn}`);
  return out.QueueUrl;
}

/** A sender over SQS SendMessage and SNS Publish, as Lambda delivers to a destination. */
export function destinationSender(clients: { sqs: SQSClient; sns: SNSClient }): DestinationSender {
  const urls = new Map<string, Promise<string>>();
  return async (destinationArn, body) => {
    if (destinationArn.split(':')[2] === 'sns') {
      await clients.sns.send(new PublishCommand({ TopicArn: destinationArn, Message: body }));
      return;
    }
    let url = urls.get(destinationArn);
    if (!url) {
      url = queueUrlOf(clients.sqs, destinationArn);
      urls.set(destinationArn, url);
    }
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: await url, MessageBody: body }));
  };
}

/** Sends, trying again twice after a short wait; throws the last error. */
export async function sendWithRetries(
  send: DestinationSender,
  destinationArn: string,
  body: string,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await send(destinationArn, body);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((done) => setTimeout(done, 200 * attempt));
    }
  }
}
