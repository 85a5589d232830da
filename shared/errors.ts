/**
 * The one base class of every error streamlake raises on purpose. Subclasses end in `Error`,
 * carry the data a caller needs to act on them, and wrap the underlying failure with `{ cause }`.
 */
export class StreamlakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is missing or malformed; raised once, at cold start. */
export class ConfigError extends StreamlakeError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}
