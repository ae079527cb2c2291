// Every error Vigil raises on purpose, in one table: a code, the HTTP status a caller gets, and a message that says
// what to do next. Code that needs to tell errors apart reads `code` (or `instanceof`), never the message. The
// HTTP layer answers `{ "error": message, "code": code, "errors"?: [{ field, message }] }` with `status`.

/** Each code and the HTTP status it is answered with. */
export const ERROR_CODES = {
  /** A request or a setting is wrong; `errors` names each field and why. */
  VIGIL_VALIDATION: 400,
  /** A query does not parse, or the engine refused it with its own message. */
  VIGIL_QUERY: 400,
  /** The caller did not prove who they are, or the proof no longer holds. */
  VIGIL_UNAUTHORIZED: 401,
  /** The caller may not do this (their access level, the request's origin or host, the owner of the thing). */
  VIGIL_FORBIDDEN: 403,
  /** A query that writes, reads outside the analysis tables, or could exhaust the machine. */
  VIGIL_QUERY_REFUSED: 403,
  VIGIL_NOT_FOUND: 404,
  /**
   * The time limit (counted from the request's arrival) passed. Not 408: that says the server gave up waiting for the
   * request itself, and browsers send such a request again on their own (Chromium does, on a reused connection), so a
   * notebook query of a 30 s limit ran three times, 90 s in all.
   */
  VIGIL_TIMEOUT: 504,
  /** The thing exists already, or the change would leave things inconsistent (the last admin). */
  VIGIL_CONFLICT: 409,
  /** A source is already collecting. */
  VIGIL_SOURCE_BUSY: 409,
  /** A body, an upload or a query's text is larger than Vigil takes. */
  VIGIL_TOO_LARGE: 413,
  /** A query needed more memory than Vigil gives queries. */
  VIGIL_QUERY_MEMORY: 422,
  /** Too many sign-in attempts, or too many queries at once. */
  VIGIL_TOO_MANY: 429,
  /** The caller went away or asked to stop. */
  VIGIL_CANCELLED: 499,
  /** The feature needs an engine this installation does not run (Spark for SQL over Cassandra). */
  VIGIL_NOT_AVAILABLE: 501,
  /** An engine or another Vigil process did not answer; trying again may work. */
  VIGIL_UNAVAILABLE: 503,
  /** Vigil's own data is held by another process (a data directory in use). */
  VIGIL_IN_USE: 409,
  /** A setting or the command line is wrong (the CLI exits with 2). */
  VIGIL_USAGE: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class VigilError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VigilError';
    this.status = ERROR_CODES[code];
  }
}

/** A field of a request (or setting) and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends VigilError {
  constructor(readonly errors: FieldError[]) {
    super('VIGIL_VALIDATION', errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends VigilError {
  constructor(message: string) {
    super('VIGIL_NOT_FOUND', message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends VigilError {
  constructor(message: string) {
    super('VIGIL_CONFLICT', message);
    this.name = 'ConflictError';
  }
}

export class UnauthorizedError extends VigilError {
  constructor(message: string) {
    super('VIGIL_UNAUTHORIZED', message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends VigilError {
  constructor(message: string) {
    super('VIGIL_FORBIDDEN', message);
    this.name = 'ForbiddenError';
  }
}

export class TooManyRequestsError extends VigilError {
  constructor(message: string) {
    super('VIGIL_TOO_MANY', message);
    this.name = 'TooManyRequestsError';
  }
}

export class TooLargeError extends VigilError {
  constructor(message: string) {
    super('VIGIL_TOO_LARGE', message);
    this.name = 'TooLargeError';
  }
}

export class SourceBusyError extends VigilError {
  constructor(message: string) {
    super('VIGIL_SOURCE_BUSY', message);
    this.name = 'SourceBusyError';
  }
}

/** What a query can end with, besides its rows. */
export type QueryErrorCode = Extract<
  ErrorCode,
  | 'VIGIL_QUERY'
  | 'VIGIL_QUERY_REFUSED'
  | 'VIGIL_TIMEOUT'
  | 'VIGIL_TOO_LARGE'
  | 'VIGIL_QUERY_MEMORY'
  | 'VIGIL_TOO_MANY'
  | 'VIGIL_CANCELLED'
  | 'VIGIL_NOT_AVAILABLE'
>;

export class QueryError extends VigilError {
  constructor(message: string, code: QueryErrorCode = 'VIGIL_QUERY') {
    super(code, message);
    this.name = 'QueryError';
  }
}

/** The command line is wrong: the CLI prints the message and how to get help, and exits with 2. */
export class UsageError extends VigilError {
  constructor(message: string) {
    super('VIGIL_USAGE', message);
    this.name = 'UsageError';
  }
}

/** The message of anything thrown (an Error's, else its text), for logs and wrapped errors. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
