import { inject } from 'vitest';
import { resetMoto } from '../../local/aws/moto-server';
import { type LocalStack, provisionStack } from '../../local/aws/provision';
import { type CfnResource, type CfnTemplate, readTemplate } from '../../local/aws/template';

export type { LocalStack } from '../../local/aws/provision';
export { arnOf } from '../../local/aws/provision';

/**
 * Call in `beforeAll` of an integration test file: resets the local AWS, points the SDK at it
 * (AWS_ENDPOINT_URL, region, credentials) and provisions the stack from the packaged template,
 * plus `extraResources` a test adds to it.
 */
export async function useLocalAws(
  options: { extraResources?: Record<string, CfnResource> } = {},
): Promise<LocalStack> {
  const endpoint = inject('awsEndpoint');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  await resetMoto(endpoint);
  const packaged = readTemplate();
  const template: CfnTemplate = {
    ...packaged,
    Resources: { ...packaged.Resources, ...options.extraResources },
  };
  return provisionStack({ endpoint, template, log: () => undefined });
}
