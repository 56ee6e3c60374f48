/**
 * Asks `read` again until `done` holds for its answer or `timeoutMs` passes, and returns the last answer
 * (for things that happen at once in one process and a moment later in another, like a pub/sub message).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
