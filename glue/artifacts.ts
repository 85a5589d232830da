/**
 * The Glue jobs' artifacts on deploy: the entry-point scripts and `glue_lib.zip` that
 * `glue/jobs.yml` points at (`s3://<artifacts bucket>/glue/...`). `glue/build_artifacts.py`
 * builds them (one definition of the layout, tested by pytest); this uploads what it wrote.
 * Used by the deploy plugin `glue/deploy-artifacts.cjs`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The stack output naming the artifacts bucket (serverless.yml). */
export const ARTIFACTS_BUCKET_OUTPUT = 'GlueArtifactsBucketName';

/** One file to upload: its object key (the bucket's layout) and where it is on disk. */
export interface ArtifactFile {
  readonly key: string;
  readonly path: string;
}

/** The deploy cannot go on: says what is missing and what to do. */
export class GlueArtifactsError extends Error {
  override readonly name = 'GlueArtifactsError';
}

/**
 * Runs `glue/build_artifacts.py` with `python` (Python 3) into `outDir`.
 * @returns the files it wrote, keyed as in the bucket (`glue/jobs/curate.py`, `glue/glue_lib.zip`)
 * @throws GlueArtifactsError when Python cannot be run or the build fails
 */
export function buildGlueArtifacts(
  python: string,
  serviceDir: string,
  outDir: string,
): ArtifactFile[] {
  const script = join(serviceDir, 'glue', 'build_artifacts.py');
  const run = spawnSync(python, [script, '--out', outDir], { encoding: 'utf8' });
  if (run.error)
    throw new GlueArtifactsError(
      `Python 3 builds the Glue job scripts' bundle, and "${python}" could not be run (${run.error.message}); install Python 3 or set PYTHON to its path`,
    );
  if (run.status !== 0)
    throw new GlueArtifactsError(
      `glue/build_artifacts.py failed (exit ${run.status}): ${run.stderr.trim()}`,
    );
  return run.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((path) => path !== '')
    .map((path) => ({ key: relative(outDir, path).split(sep).join('/'), path }));
}

/**
 * The artifacts bucket of a deployed stack, from its outputs.
 * @throws GlueArtifactsError when the stack has no such output
 */
export async function glueArtifactsBucket(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<string> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === ARTIFACTS_BUCKET_OUTPUT);
  if (!output?.OutputValue)
    throw new GlueArtifactsError(`stack ${stackName} has no ${ARTIFACTS_BUCKET_OUTPUT} output`);
  return output.OutputValue;
}

/**
 * Puts every file under its key. The bucket encrypts with the lake key by default and keeps
 * earlier versions (30 days), so a job that started before the upload finishes on its own script.
 */
export async function uploadGlueArtifacts(
  s3: S3Client,
  bucket: string,
  files: readonly ArtifactFile[],
): Promise<void> {
  for (const { key, path } of files)
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: readFileSync(path),
        ContentType: key.endsWith('.zip') ? 'application/zip' : 'text/x-python',
      }),
    );
}
