// Every write Vigil sends is idempotent (same key, same values), so a timed-out or unavailable write is simply
// retried, a few times, before the error reaches the classifier (which then retries the whole batch).

import { policies, type types } from 'cassandra-driver';

export class IdempotentWriteRetryPolicy extends policies.retry.RetryPolicy {
  constructor(private readonly maxRetries = 3) {
    super();
  }

  override onWriteTimeout(info: { nbRetry: number }, consistency: types.consistencies): policies.retry.DecisionInfo {
    return info.nbRetry < this.maxRetries ? this.retryResult(consistency, true) : this.rethrowResult();
  }

  override onReadTimeout(info: { nbRetry: number }, consistency: types.consistencies): policies.retry.DecisionInfo {
    return info.nbRetry < this.maxRetries ? this.retryResult(consistency, true) : this.rethrowResult();
  }

  override onUnavailable(info: { nbRetry: number }, consistency: types.consistencies): policies.retry.DecisionInfo {
    return info.nbRetry < this.maxRetries ? this.retryResult(consistency, false) : this.rethrowResult();
  }

  override onRequestError(info: { nbRetry: number }, consistency: types.consistencies): policies.retry.DecisionInfo {
    return info.nbRetry < this.maxRetries ? this.retryResult(consistency, false) : this.rethrowResult();
  }
}
