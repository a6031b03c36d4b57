export { createLogger, silentLogger, type Logger, type LogLevel } from "./http/logger.js";
export { traceId, traceIdFrom, TRACE_HEADER, TRACE_ID_PATTERN, type TraceVariables } from "./http/trace-id.js";
export { failureResponse, onError, notFound } from "./http/error-response.js";
export { countCommandOutcomes, recordOutcome, type OutcomeVariables } from "./http/command-outcome.js";
export { parseJsonBody, parseParam, parseQuery } from "./http/validate.js";
export { createKafka, type KafkaOptions } from "./kafka/create-kafka.js";
export {
  kafkaSecurityEnvSchema,
  kafkaSecurityProblems,
  loadKafkaSecurity,
  type KafkaSecurity,
  type KafkaSecurityEnv,
} from "./kafka/kafka-security.js";
export { ensureTopics, type TopicSpec } from "./kafka/ensure-topics.js";
export { storeAffinePartitioner, storePartition } from "./kafka/store-affine-partitioner.js";
export { chosenPartitionsAssigner } from "./kafka/chosen-partitions-assigner.js";
export type {
  BatchContext,
  BatchHandler,
  ConsumedBatch,
  ConsumedMessage,
  MessagePublisher,
  MessageSubscriber,
  OutgoingMessage,
  PartitionChoice,
  StartPositions,
  SubscribeRequest,
  Subscription,
} from "./kafka/message-bus.js";
export { isPermanentRefusal, isPublishFailure, publishFailure, type PublishFailure } from "./kafka/publish-failure.js";
export { classifyKafkaError, createKafkaPublisher } from "./kafka/kafkajs-publisher.js";
export { createKafkaSubscriber, type KafkaSubscriberOptions } from "./kafka/kafkajs-subscriber.js";
export {
  createInMemoryMessageBus,
  type InMemoryMessageBus,
  type PublishFault,
  type StoredMessage,
} from "./kafka/in-memory-message-bus.js";
export { observeRequests, requestObserver, type FinishedRequest, type RequestObserver } from "./http/request-observer.js";
export { healthRoutes, type DependencyCheck, type ReadinessProbe } from "./http/readiness.js";
export { serveHttp, type DirectRoute, type ServeOptions } from "./http/serve-http.js";
export { closeHttpServer, onShutdownSignal, type ShutdownStep } from "./http/graceful-shutdown.js";
export { authenticate, requireAction, DEV_TOKEN_PRINCIPAL, type AuthVariables, type AuthenticateOptions } from "./http/authenticate.js";
export { httpServerEnvSchema, serveOptionsOf, type HttpServerEnv } from "./http/http-server-env.js";
export { authEnvSchema, loadAuthOptions, DEV_SIGNING_SECRET, type AuthEnv } from "./http/auth-config.js";
export { createTokenVerifier, type TokenCheck, type VerifyToken } from "./http/token-verifier.js";
export { loadRemoteJwks, signingKeySet, type KeyLookup, type RemoteJwksOptions } from "./http/remote-jwks.js";
export { rateLimitWrites, type RateLimitOptions } from "./http/rate-limit.js";
export { createDeadLetterSink, deadLetterTopic, type DeadLetter, type DeadLetterSink } from "./dead-letters.js";
export { readTopicToEnd, type TopicMessage } from "./kafka/read-topic.js";
export { recordBytes, type RecordParts } from "./kafka/record-bytes.js";
export { isReadToEndFailure, readToEnd, type ReadToEndFailure, type ReadToEndRequest } from "./kafka/read-to-end.js";
export { createMetrics, metricsRoute, type Metrics } from "./metrics.js";
export { keepConsumerRunning, type KeptConsumer } from "./kafka/keep-consumer-running.js";
export { releaseMemory, returnMemoryToSystem } from "./release-memory.js";
export { returnMemoryWhenIdle, DEFAULT_IDLE_MEMORY_POLICY, type IdleMemoryPolicy, type MemoryReturned } from "./return-memory-when-idle.js";
export { logProcessWarnings } from "./log-process-warnings.js";
export { setResponseHeader } from "./http/response-header.js";
export { holdsTag, jsonWithEtag, prepareJson, sendPreparedJson, type PreparedJson } from "./http/json-with-etag.js";
export { nodeRequestHeader, requestHeader } from "./http/request-header.js";
