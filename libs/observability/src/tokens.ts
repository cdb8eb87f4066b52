/** Injection token of the `Logger` given to `ObservabilityModule.forRoot`. */
export const LOGGER = Symbol('agentledger:observability:logger');
/** Injection token of the service name (a string) given to `ObservabilityModule.forRoot`. */
export const SERVICE_NAME = Symbol('agentledger:observability:service');
