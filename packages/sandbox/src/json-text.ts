/**
 * A host function's result given as JSON text. The sandbox hands the text to the isolate as it
 * is, instead of serialising a value: for a host that already holds the JSON (an exchange's
 * response body) this saves a serialise round per call. The text must be valid JSON; if it is
 * not, the call fails in the worker with a SandboxError (BAD_HOST_RESULT).
 */
export class JsonText {
  readonly json: string;

  constructor(json: string) {
    if (typeof json !== 'string') throw new TypeError('JsonText needs a string of JSON');
    this.json = json;
  }
}
