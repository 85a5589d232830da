import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, useLocalAws } from '../../helpers/local-aws';

/**
 * The deploy plugin glue/deploy-artifacts.cjs against the local AWS, with the stack provisioned
 * from the packaged template: run as `serverless deploy` runs it (its two hooks, in order), it
 * puts every script and zip the template's Glue jobs name in the stack's artifacts bucket.
 */

type Hooks = Record<string, () => unknown>;
const GluePlugin = createRequire(import.meta.url)('../../../glue/deploy-artifacts.cjs') as new (
  serverless: unknown,
  options: unknown,
  utils: unknown,
) => { hooks: Hooks };

let stack: LocalStack;
let s3: S3Client;
const notices: string[] = [];

/** The plugin as the framework makes it, for the local stack. */
function plugin() {
  const serverless = {
    serviceDir: process.cwd(),
    getProvider: () => ({
      getAwsSdkV3Config: async () => ({ region: stack.region }),
      naming: { getStackName: () => stack.stackName },
    }),
  };
  return new GluePlugin(serverless, {}, { log: { notice: (line: string) => notices.push(line) } });
}

/** `s3://${GlueArtifactsBucket}/<key>` strings of the template's Glue jobs: the keys. */
function artifactKeysOfJobs(): string[] {
  const keys = new Set<string>();
  for (const resource of Object.values(stack.template.Resources)) {
    if (resource.Type !== 'AWS::Glue::Job') continue;
    const text = JSON.stringify(resource.Properties);
    for (const [, key] of text.matchAll(/s3:\/\/\$\{GlueArtifactsBucket\}\/([^"']+\.(?:py|zip))/g))
      keys.add(key as string);
  }
  return [...keys].sort();
}

beforeAll(async () => {
  stack = await useLocalAws();
  s3 = new S3Client({ region: stack.region });
});

describe('Plugin: glue/deploy-artifacts.cjs', () => {
  it('is one of the service plugins, on the deploy lifecycle only', () => {
    // Act: the entries of serverless.yml's `plugins:` list
    const block = /^plugins:\n((?:[ #].*\n)+)/m.exec(readFileSync('serverless.yml', 'utf8'));
    const plugins = [...(block?.[1] ?? '').matchAll(/^ {2}- (\S+)$/gm)].map((m) => m[1]);

    // Assess
    expect(plugins).toContain('./glue/deploy-artifacts.cjs');
    expect(Object.keys(plugin().hooks).sort()).toEqual([
      'after:deploy:deploy',
      'before:deploy:deploy',
    ]);
  });

  it("puts every script and zip the stack's Glue jobs name in its artifacts bucket", async () => {
    // Prepare
    const bucket = stack.outputs.GlueArtifactsBucketName as string;
    const { hooks } = plugin();

    // Act
    await hooks['before:deploy:deploy']?.();
    await hooks['after:deploy:deploy']?.();

    // Assess
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = Contents.map((o) => o.Key);
    expect(artifactKeysOfJobs().length).toBeGreaterThan(0);
    expect(keys).toEqual(expect.arrayContaining(artifactKeysOfJobs()));
    expect([...keys].sort()).toEqual([
      'glue/glue_lib.zip',
      'glue/jobs/compact.py',
      'glue/jobs/curate.py',
      'glue/jobs/dedupe.py',
      'glue/jobs/segment.py',
    ]);
    const script = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'glue/jobs/curate.py' }),
    );
    expect(await script.Body?.transformToString()).toBe(
      readFileSync('glue/jobs/curate.py', 'utf8'),
    );
    expect(notices).toEqual([`Glue artifacts: 5 files put in s3://${bucket}/glue/`]);
  });

  it('stops the deploy before the stack changes when Python cannot be run, saying what to do', () => {
    // Prepare
    const { hooks } = plugin();
    const python = process.env.PYTHON;
    process.env.PYTHON = 'python3-that-is-not-installed';

    // Act
    let message = '';
    try {
      hooks['before:deploy:deploy']?.();
    } catch (error) {
      message = (error as Error).message;
    } finally {
      if (python === undefined) delete process.env.PYTHON;
      else process.env.PYTHON = python;
    }

    // Assess
    expect(message).toMatch(
      /^Python 3 builds the Glue job scripts' bundle, and "python3-that-is-not-installed" could not be run \(.*ENOENT\); install Python 3 or set PYTHON to its path$/,
    );
  });
});
