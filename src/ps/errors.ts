/**
 * A failure of the parameter store: a bad URL, a server that cannot be reached or refuses us, a
 * model that is missing or exists with other options. The message names the server as host:port,
 * never with its credentials.
 */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
