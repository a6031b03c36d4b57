/**
 * Why a publish did not go through. `permanent` means Kafka refused a message for good (too large, an
 * invalid record, an invalid topic): sending it again can never succeed, so it must be set aside rather
 * than retried. Anything else (a broker down, a partition not acknowledged, a timeout) may pass on a retry.
 * Recognised by shape (`isPublishFailure`), never by class.
 */
export interface PublishFailure extends Error {
  readonly code: "PUBLISH_FAILED";
  readonly permanent: boolean;
}

export const publishFailure = (message: string, permanent: boolean, cause?: unknown): PublishFailure =>
  Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code: "PUBLISH_FAILED" as const, permanent });

export const isPublishFailure = (err: unknown): err is PublishFailure =>
  err instanceof Error && (err as Partial<PublishFailure>).code === "PUBLISH_FAILED";

/** True when Kafka refused the publish for good (see `PublishFailure`). */
export const isPermanentRefusal = (err: unknown): boolean => isPublishFailure(err) && err.permanent;
