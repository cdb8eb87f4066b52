/**
 * A failure whose message is meant for the person running `npm start`: it is printed as is,
 * without a stack trace, because the stack would only hide the advice in it.
 */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}
