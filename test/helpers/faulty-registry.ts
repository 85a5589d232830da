import type { CompiledDataset, DatasetRegistry } from '../../shared/records/registry';

/**
 * `registry` with clickstream's coercion wrapped by `coerce`, to stand in for a fault of this code
 * (a coercion that hands the writer a value of the wrong form, or throws).
 */
export function registryWithCoercion(
  registry: DatasetRegistry,
  coerce: (
    original: CompiledDataset['coerce'],
    record: Record<string, unknown>,
  ) => ReturnType<CompiledDataset['coerce']>,
): DatasetRegistry {
  const [clicks] = registry.datasets;
  if (clicks?.declaration.name !== 'clickstream')
    throw new Error('the registry starts with clickstream');
  const faulty = {
    ...clicks,
    coerce: (record: Record<string, unknown>) => coerce(clicks.coerce, record),
  };
  return { ...registry, byField: registry.byField.map((r) => ({ ...r, dataset: faulty })) };
}
