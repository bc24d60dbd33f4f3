/**
 * The Vector release this model describes (its option names, event types and startup rules) and
 * the image tag every generated workload pins. Bump it only together with the model and the
 * shared component reference the tests validate against.
 */
export const VECTOR_VERSION = '0.57.0';
