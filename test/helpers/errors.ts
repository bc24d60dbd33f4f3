/**
 * The message of the error `build` throws, so a test can compare it whole; fails, saying `what`, when nothing is
 * thrown (a test of a rejected input must not pass because the input was accepted).
 */
export function thrownMessage(build: () => unknown, what = 'expected an error, got none'): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(what);
}
