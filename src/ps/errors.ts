/**
 * A failure of the parameter store: a bad URL, a server that cannot be reached or refuses us, a
 * model that is missing or exists with other options. The message names the server as host:port,
 * never with its credentials.
 */
export class StoreError extends Error {
  /**
   * @param lost the connection dropped under a command that had been sent (its answer is lost,
   *   whether or not it ran) while the client reconnects: a worker can resynchronize and go on.
   */
  constructor(
    message: string,
    readonly lost = false,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
