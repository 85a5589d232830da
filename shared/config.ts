import { ConfigError } from './errors';

/** The process environment, or a plain object standing in for it in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a variable that must be set and non-empty.
 * @throws ConfigError naming the variable
 */
export function requireEnv(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, 'is required but not set');
  return value;
}

/** Reads an optional variable, falling back when it is unset or empty. */
export function optionalEnv(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

/**
 * Reads a whole number within bounds.
 * @example intEnv(process.env, 'MAX_RECORD_BYTES', 1_048_576, { min: 1 })
 * @throws ConfigError naming the variable when it is not an integer or out of range
 */
export function intEnv(
  env: Env,
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (bounds.min !== undefined && value < bounds.min)
    throw new ConfigError(name, `must be at least ${bounds.min}, got ${value}`);
  if (bounds.max !== undefined && value > bounds.max)
    throw new ConfigError(name, `must be at most ${bounds.max}, got ${value}`);
  return value;
}

/** Reads `true`/`false` (case-insensitive); anything else is a configuration error. */
export function boolEnv(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}
