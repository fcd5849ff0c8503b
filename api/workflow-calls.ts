import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApiError } from './errors';

/**
 * A query or update needs a worker to answer. Without one the SDK call waits for its RPC deadline; the API answers
 * sooner with what to check instead.
 */
export async function withWorker<T>(call: Promise<T>, taskQueue: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('unavailable', `the workflow did not answer within ${ms / 1000} s: is a worker polling task queue "${taskQueue}"?`)), ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ApiError('conflict', 'the connection has no running workflow: resume or sync it to start one');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export function namespaceOf(client: Client): string {
  return client.options.namespace;
}
