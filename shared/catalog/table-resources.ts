/**
 * CloudFormation resources of the lake's Glue tables, generated from the dataset declarations at
 * package time by glue/catalog-tables.cjs. Logical ids the template refers to: `GlueDatabase`,
 * `LakeBucket` (both defined elsewhere).
 */
import type { DatasetDeclaration } from '../datasets';
import { type TableInput, tableInputOf, type Zone, zonePrefixOf } from './tables';

/** A template intrinsic, e.g. `{ Ref: 'LakeBucket' }`. */
export type Intrinsic = Readonly<Record<string, unknown>>;

/** One `AWS::Glue::Table` template entry. */
export interface GlueTableResource {
  readonly Type: 'AWS::Glue::Table';
  readonly Properties: {
    readonly CatalogId: Intrinsic;
    readonly DatabaseName: Intrinsic;
    readonly TableInput: TableInput<Intrinsic>;
  };
}

const ZONES: readonly Zone[] = ['raw', 'curated'];

/** @example tableLogicalIdOf(sensorReadings, 'raw') // 'GlueTableRawSensorReadings' */
export function tableLogicalIdOf(dataset: Pick<DatasetDeclaration, 'name'>, zone: Zone): string {
  const pascal = (text: string) =>
    text
      .split('_')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join('');
  return `GlueTable${pascal(zone)}${pascal(dataset.name)}`;
}

/**
 * A table per dataset and zone, located at `s3://<LakeBucket>/<zone>/<dataset>/`.
 * `projectionStart` (YYYY-MM-DD) bounds the projected date range of projection datasets.
 */
export function glueTableResources(
  datasets: readonly DatasetDeclaration[],
  options: { readonly projectionStart: string },
): Record<string, GlueTableResource> {
  const resources: Record<string, GlueTableResource> = {};
  for (const dataset of datasets)
    for (const zone of ZONES) {
      const location = {
        'Fn::Join': ['', ['s3://', { Ref: 'LakeBucket' }, `/${zonePrefixOf(dataset, zone)}`]],
      };
      resources[tableLogicalIdOf(dataset, zone)] = {
        Type: 'AWS::Glue::Table',
        Properties: {
          CatalogId: { Ref: 'AWS::AccountId' },
          DatabaseName: { Ref: 'GlueDatabase' },
          TableInput: tableInputOf(dataset, zone, {
            location,
            projectionStart: options.projectionStart,
          }),
        },
      };
    }
  return resources;
}

/** `Ref`s to the raw tables: the crawler's catalog targets (a Ref of a Glue table is its name). */
export function rawTableRefs(datasets: readonly DatasetDeclaration[]): Intrinsic[] {
  return datasets.map((dataset) => ({ Ref: tableLogicalIdOf(dataset, 'raw') }));
}
