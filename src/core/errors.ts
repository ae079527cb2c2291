// Errors that carry the HTTP status a caller should see. (More of Vigil's errors move here with issue #17.)

/** The caller did not prove who they are, or the proof is no longer good. */
export class UnauthorizedError extends Error {
  readonly status = 401;
}

/** The caller is known but may not do this. */
export class ForbiddenError extends Error {
  readonly status = 403;
}

/** The caller asked too often (log-ins) or has too much running (queries). */
export class TooManyRequestsError extends Error {
  readonly status = 429;
}

/** The request is bigger than Vigil takes (a body, a query's text). */
export class TooLargeError extends Error {
  readonly status = 413;
}
