// The few Mocha globals web-test-runner provides in the browser (avoids a dependency on @types/mocha).
declare global {
  function describe(title: string, fn: () => void): void;
  function it(title: string, fn: () => void | Promise<void>): void;
  function before(fn: (this: { timeout(ms: number): void }) => void | Promise<void>): void;
  function beforeEach(fn: () => void | Promise<void>): void;
  function afterEach(fn: () => void | Promise<void>): void;
}
export {};
