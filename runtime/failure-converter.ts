import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (workers bundle it into the workflow sandbox): failure messages and stack traces travel as an
 * encoded payload, which the payload codec encrypts, instead of as plain text in history.
 * https://typescript.temporal.io/api/interfaces/common.DefaultEncodedFailureAttributes
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
